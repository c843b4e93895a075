namespace Rag.Api.Auth;

/// <summary>Refuses with 403 a request whose <c>{collection}</c> route value lies outside the caller's key.</summary>
internal sealed class CollectionAccessFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues.TryGetValue("collection", out var value) && value is string collection
            && !CollectionAccess.Allows(http.User, collection))
        {
            return Forbidden(collection);
        }
        return await next(context);
    }

    public static IResult Forbidden(string collection) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Collection not allowed",
            detail: $"This API key may not use collection '{collection}'.");
}
