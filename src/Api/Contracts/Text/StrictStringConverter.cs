using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rag.Api.Contracts.Text;

/// <summary>
/// Reads every string (values and dictionary keys) of a request body under <see cref="TextRules"/>: an escaped lone
/// surrogate or a NUL becomes a 400 naming the field instead of an exception deep in a handler or PostgreSQL.
/// </summary>
internal sealed class StrictStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadChecked(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadChecked(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string ReadChecked(ref Utf8JsonReader reader) =>
        Flaw(ref reader, out var text) is { } flaw ? throw new InvalidTextException(flaw) : text;

    /// <summary>What is wrong with the current string or property-name token, or null (and its text).</summary>
    public static string? Flaw(ref Utf8JsonReader reader, out string text)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            // Without a message the serializer writes its usual one, with the path.
            throw new JsonException();
        }
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader refuses to unescape "\ud800" without its pair.
            text = "";
            return "an unpaired surrogate escape";
        }
        return TextRules.Flaw(text);
    }
}
