using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Rag.Api.Auth;
using Rag.Api.Errors;
using Rag.Retrieval;
using Rag.Retrieval.Storage;

namespace Rag.Api.Mcp;

/// <summary>
/// Stored documents as MCP resources, so a client can read the source an answer cites. Reading is refused as the
/// HTTP API refuses it: a malformed name, a collection outside the key's, or an unknown document.
/// </summary>
[McpServerResourceType]
internal sealed class DocumentResources(DocumentStore documents, DocumentText documentText, Embedder embedder)
{
    [McpServerResource(UriTemplate = DocumentUri.Template, Name = "document", MimeType = "text/plain")]
    [Description("The extracted text of a stored document.")]
    public async Task<TextResourceContents> ReadAsync(
        RequestContext<ReadResourceRequestParams> context, string collection, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CollectionRouteFilter.Check(context.User ?? new System.Security.Claims.ClaimsPrincipal(), collection) is { } denied)
        {
            throw new McpProtocolException(denied.ProblemDetails.Detail ?? "", McpErrorCode.InvalidParams);
        }
        if (!Guid.TryParse(id, out var documentId))
        {
            throw new McpProtocolException($"'{id}' is not a document id.", McpErrorCode.InvalidParams);
        }
        var info = await documents.FindCollectionAsync(collection, await embedder.GetModelAsync(cancellationToken), cancellationToken);
        if (info is null)
        {
            throw new McpProtocolException(Problems.CollectionNotFound(collection).ProblemDetails.Detail ?? "", McpErrorCode.ResourceNotFound);
        }
        if (await documents.GetAsync(info, documentId, cancellationToken) is null)
        {
            throw new McpProtocolException(Problems.DocumentNotFound(collection, documentId).ProblemDetails.Detail ?? "", McpErrorCode.ResourceNotFound);
        }
        return new TextResourceContents
        {
            Uri = DocumentUri.For(collection, documentId),
            MimeType = "text/plain",
            Text = await documentText.ReadAsync(info, documentId, cancellationToken),
        };
    }
}
