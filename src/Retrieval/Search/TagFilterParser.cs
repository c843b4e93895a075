using System.Text.Json;

namespace Rag.Retrieval.Search;

/// <summary>Reads the JSON filter syntax described on <see cref="TagFilter"/>; errors name the JSON path.</summary>
public static class TagFilterParser
{
    public static TagFilter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement, "$");
        }
        catch (JsonException ex)
        {
            throw new TagFilterException($"The filter is not valid JSON: {ex.Message}", ex);
        }
    }

    public static TagFilter Parse(JsonElement element) => Parse(element, "$");

    private static TagFilter Parse(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TagFilterException($"{path}: a filter must be a JSON object such as {{\"lang\": \"en\"}}, found {Describe(element)}.");
        }
        var terms = new List<TagFilter>();
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = $"{path}.{property.Name}";
            terms.Add(property.Name switch
            {
                "$and" => new AndFilter(Operands(property.Value, propertyPath)),
                "$or" => new OrFilter(Operands(property.Value, propertyPath)),
                "$not" => new NotFilter(Parse(property.Value, propertyPath)),
                _ when property.Name.StartsWith('$') =>
                    throw new TagFilterException($"{propertyPath}: unknown operator '{property.Name}'; use $and, $or or $not."),
                _ => Equals(property.Name, property.Value, propertyPath),
            });
        }
        return terms.Count switch
        {
            0 => throw new TagFilterException($"{path}: an empty object is not a filter."),
            1 => terms[0],
            _ => new AndFilter(terms),
        };
    }

    private static TagFilter[] Operands(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw new TagFilterException($"{path}: expected a non-empty array of filters, found {Describe(element)}.");
        }
        return element.EnumerateArray().Select((operand, i) => Parse(operand, $"{path}[{i}]")).ToArray();
    }

    private static TagFilter Equals(string key, JsonElement value, string path)
    {
        if (key.Length == 0)
        {
            throw new TagFilterException($"{path}: a tag name cannot be empty.");
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => new TagEquals(key, value.GetString()!),
            JsonValueKind.Array when value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                new OrFilter(value.EnumerateArray().Select(v => (TagFilter)new TagEquals(key, v.GetString()!)).ToArray()),
            _ => throw new TagFilterException($"{path}: a tag value must be a string or a non-empty array of strings, found {Describe(value)}."),
        };
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
