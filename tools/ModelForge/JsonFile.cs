using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rag.ModelForge;

/// <summary>Writes the Hugging Face side files: indented UTF-8 JSON, non-ASCII and '&lt;' kept literal as the hub's files do.</summary>
public static class JsonFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, node.ToJsonString(Options) + "\n");
    }
}
