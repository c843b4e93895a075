using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rag.Api.Contracts.Text;

/// <summary>
/// Free-form JSON fields (<c>input</c>, <c>messages[].content</c>, <c>filter</c>, <c>prompt</c>, <c>stop</c>) are kept as
/// <see cref="JsonElement"/>, which the string converter never sees: every string and key inside is checked here, with its
/// position under the field (<c>$.input[3]</c>), before the element is built.
/// </summary>
internal sealed class StrictJsonElementConverter : JsonConverter<JsonElement>
{
    public override bool HandleNull => true;

    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CheckStrings(reader);
        return JsonElement.ParseValue(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    // The reader is a struct: the scan walks a copy, leaving the original where ParseValue expects it.
    private static void CheckStrings(Utf8JsonReader reader)
    {
        var path = new List<(string? Property, int Index)>();
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    path.Add((null, -1));
                    break;
                case JsonTokenType.StartObject:
                    path.Add(("", -1));
                    break;
                case JsonTokenType.EndArray or JsonTokenType.EndObject:
                    path.RemoveAt(path.Count - 1);
                    break;
                case JsonTokenType.PropertyName or JsonTokenType.String:
                    if (StrictStringConverter.Flaw(ref reader, out var text) is { } flaw)
                    {
                        throw new InvalidTextException(flaw, Describe(path));
                    }
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        path[^1] = (text, -1);
                    }
                    break;
            }
        }
        while (Advance(ref reader, path));
    }

    // Moves to the next token of the value, counting array positions; false once the value is complete.
    private static bool Advance(ref Utf8JsonReader reader, List<(string? Property, int Index)> path)
    {
        if (path.Count == 0 || !reader.Read())
        {
            return false;
        }
        if (path[^1] is { Property: null } array && reader.TokenType is not JsonTokenType.EndArray)
        {
            path[^1] = (null, array.Index + 1);
        }
        return true;
    }

    private static string Describe(List<(string? Property, int Index)> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (property, index) in path)
        {
            if (property is null)
            {
                text.Append('[').Append(index).Append(']');
            }
            else if (property.Length > 0)
            {
                text.Append('.').Append(property);
            }
        }
        return text.ToString();
    }
}
