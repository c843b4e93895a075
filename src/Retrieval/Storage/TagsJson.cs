using System.Text.Json;

namespace Rag.Retrieval.Storage;

/// <summary>Tags are stored as a flat jsonb object of strings.</summary>
internal static class TagsJson
{
    public static string Write(IReadOnlyDictionary<string, string> tags) => JsonSerializer.Serialize(tags);

    public static IReadOnlyDictionary<string, string> Read(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
