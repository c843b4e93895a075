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
        var maxLength = services.Options.Value.MaxQuestionLength;
        if (request.Query!.Length > maxLength)
        {
            return Problems.QueryTooLong(request.Query.Length, maxLength);
        }
        var search = ToSearch(request, request.Query, collection);
        if (!await services.CollectionExistsAsync(collection, cancellationToken))
        {
            return Problems.CollectionNotFound(collection);
        }
        var result = await services.Search.SearchAsync(search, cancellationToken);
        return TypedResults.Ok(new SearchResponse(
            result.Hits, result.EmbedTime.TotalMilliseconds, result.SearchTime.TotalMilliseconds, result.RerankTime?.TotalMilliseconds));
    }

    /// <summary>The search a request's retrieval fields ask for; a malformed tag filter throws <see cref="TagFilterException"/> (400).</summary>
    internal static SearchRequest ToSearch(IRetrievalFields fields, string query, string collection) => new(query)
    {
        Collection = collection,
        TopK = fields.TopK,
        MinRelevance = fields.MinScore,
        Filter = fields.Filter is { ValueKind: not System.Text.Json.JsonValueKind.Null } filter ? TagFilterParser.Parse(filter) : null,
        Mode = fields.Mode,
        Rerank = fields.Rerank,
    };
}
