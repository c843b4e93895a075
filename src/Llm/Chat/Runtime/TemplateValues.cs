using System.Collections;
using System.Text.Json;

namespace Rag.Llm.Chat.Runtime;

/// <summary>Converts caller-supplied .NET values (strings, numbers, lists, dictionaries, JSON) into template values.</summary>
internal static class TemplateValues
{
    public static object? From(object? value) => value switch
    {
        null => null,
        string or bool or long or double or Undefined or TemplateFunction => value,
        int or short or byte or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        float f => (double)f,
        decimal m => (double)m,
        JsonElement json => FromJson(json),
        IDictionary<string, object?> dict => dict.ToDictionary(p => p.Key, p => From(p.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<string, object?> dict => dict.ToDictionary(p => p.Key, p => From(p.Value), StringComparer.Ordinal),
        IEnumerable items => items.Cast<object?>().Select(From).ToList(),
        _ => value.ToString(),
    };

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => json.TryGetInt64(out var l) ? l : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        _ => null,
    };
}
