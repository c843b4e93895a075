using Microsoft.Extensions.Options;
using Rag.Api.Hosting;
using Rag.Api.Observability;
using Rag.Retrieval;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Api.Endpoints.Asking;

/// <summary>What the search and ask handlers need, as one <c>[AsParameters]</c> argument.</summary>
public sealed record RetrievalServices(
    DocumentStore Store,
    Embedder Embedder,
    ChunkSearch Search,
    Answerer Answerer,
    ApiMetrics Metrics,
    IOptions<ApiOptions> Options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json)
{
    public async Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken) =>
        await Store.FindCollectionAsync(collection, await Embedder.GetModelAsync(cancellationToken), cancellationToken) is not null;
}
