using Microsoft.Extensions.Options;
using Rag.Api.Hosting;
using Rag.Retrieval;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;

namespace Rag.Api.Endpoints.Documents;

/// <summary>What the document handlers need, as one <c>[AsParameters]</c> argument.</summary>
public sealed record DocumentServices(
    DocumentStore Store,
    IngestionPipeline Pipeline,
    IngestionJobs Jobs,
    Embedder Embedder,
    IOptions<ApiOptions> Options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json)
{
    public async Task<CollectionInfo?> FindCollectionAsync(string collection, CancellationToken cancellationToken) =>
        await Store.FindCollectionAsync(collection, await Embedder.GetModelAsync(cancellationToken), cancellationToken);
}
