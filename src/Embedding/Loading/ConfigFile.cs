using System.Text.Json;

namespace Rag.Embedding.Loading;

/// <summary>Reads the small JSON configs of a model folder; a missing file or key reads as null.</summary>
internal static class ConfigFile
{
    public static JsonElement? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{file}' is not valid JSON: {e.Message}", e);
        }
    }

    public static bool? Bool(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : null;

    public static int? Int(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;

    public static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
