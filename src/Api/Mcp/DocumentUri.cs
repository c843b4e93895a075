namespace Rag.Api.Mcp;

/// <summary>A stored document as an MCP resource: <c>rag://collections/{collection}/documents/{id}</c>.</summary>
internal static class DocumentUri
{
    public const string Template = "rag://collections/{collection}/documents/{id}";

    public static string For(string collection, Guid id) => $"rag://collections/{Uri.EscapeDataString(collection)}/documents/{id}";
}
