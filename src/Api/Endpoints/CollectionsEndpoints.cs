using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Auth;
using Rag.Api.Contracts.Rag;
using Rag.Api.Errors;
using Rag.Retrieval.Storage;

namespace Rag.Api.Endpoints;

/// <summary>The collections a key may use, and dropping one with all its documents. A collection is created by its first upload.</summary>
public static class CollectionsEndpoints
{
    public static RouteGroupBuilder MapCollectionsEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var collections = v1.MapGroup("/collections").WithTags("Collections");
        collections.MapGet("/", ListAsync).WithName("ListCollections")
            .WithSummary("The collections this API key may use, with document, chunk and queued-upload counts and when each last stored a document.");
        collections.MapDelete("/{collection}", DeleteAsync).WithName("DeleteCollection")
            .WithSummary("Delete a collection: its documents, chunks and queued uploads.")
            .AddEndpointFilter<CollectionRouteFilter>();
        return v1;
    }

    public static async Task<Ok<CollectionListResponse>> ListAsync(CollectionStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = await store.ListAsync(cancellationToken);
        var visible = all.Where(c => CollectionAccess.Allows(user, c.Name))
            .Select(CollectionDto.From)
            .ToList();
        return TypedResults.Ok(new CollectionListResponse(visible));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string collection, CollectionStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.DeleteAsync(collection, cancellationToken) ? TypedResults.NoContent() : Problems.CollectionNotFound(collection);
    }
}
