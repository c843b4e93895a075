using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rag.Retrieval.Search;

/// <summary>Lets request DTOs declare a <see cref="TagFilter"/> property and receive the parsed filter.</summary>
public sealed class TagFilterJsonConverter : JsonConverter<TagFilter>
{
    public override TagFilter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return TagFilterParser.Parse(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, TagFilter value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case TagEquals equals:
                writer.WriteStartObject();
                writer.WriteString(equals.Key, equals.Value);
                writer.WriteEndObject();
                break;
            case AndFilter and:
                WriteOperands(writer, "$and", and.Operands, options);
                break;
            case OrFilter or:
                WriteOperands(writer, "$or", or.Operands, options);
                break;
            case NotFilter not:
                writer.WriteStartObject();
                writer.WritePropertyName("$not");
                Write(writer, not.Operand, options);
                writer.WriteEndObject();
                break;
            default:
                throw new NotSupportedException($"Unknown filter {value?.GetType().Name}.");
        }
    }

    private void WriteOperands(Utf8JsonWriter writer, string name, IReadOnlyList<TagFilter> operands, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(name);
        foreach (var operand in operands)
        {
            Write(writer, operand, options);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
