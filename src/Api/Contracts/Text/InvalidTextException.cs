using System.Text.Json;

namespace Rag.Api.Contracts.Text;

/// <summary>
/// A JSON string that breaks <see cref="TextRules"/>. The serializer fills in <see cref="JsonException.Path"/> after the
/// converter throws, so the message is composed when read and names the field, e.g. <c>$.tags.lang</c> or <c>$.input[3]</c>.
/// </summary>
internal sealed class InvalidTextException(string flaw, string innerPath = "") : JsonException
{
    public override string Message => TextRules.Describe($"'{Path ?? "$"}{innerPath}'", flaw);
}
