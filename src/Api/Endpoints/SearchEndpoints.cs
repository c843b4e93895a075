using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Contracts.Rag;
using Rag.Api.Endpoints.Asking;
using Rag.Api.Errors;
using Rag.Retrieval.Search;

namespace Rag.Api.Endpoints;

/// <summary>Nearest passages of a collection, without generation.</summary>
public static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearchEndpoints(this RouteGroupBuilder collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        collection.MapPost("/search", SearchAsync).WithTags("Search").WithName("Search")
            .WithSummary("The passages nearest to a query (vector or hybrid), optionally filtered by tags.");
        return collection;
    }

    public static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchAsync(
        string collection, SearchRequestDto request, [AsParameters] RetrievalServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var filter = ReadFilter(request.Filter);
        if (!await services.CollectionExistsAsync(collection, cancellationToken))
        {
            return Problems.CollectionNotFound(collection);
        }
        var result = await services.Search.SearchAsync(new SearchRequest(request.Query!)
        {
            Collection = collection,
            TopK = request.TopK,
            MinRelevance = request.MinScore,
            Filter = filter,
            Mode = request.Mode,
            Rerank = request.Rerank,
        }, cancellationToken);
        return TypedResults.Ok(new SearchResponse(
            result.Hits, result.EmbedTime.TotalMilliseconds, result.SearchTime.TotalMilliseconds, result.RerankTime?.TotalMilliseconds));
    }

    /// <summary>Parses the tag filter; a malformed one throws <see cref="TagFilterException"/> (400).</summary>
    internal static TagFilter? ReadFilter(System.Text.Json.JsonElement? filter) =>
        filter is { ValueKind: not System.Text.Json.JsonValueKind.Null } element ? TagFilterParser.Parse(element) : null;
}
