using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Errors;

namespace Rag.Api.Auth;

/// <summary>
/// Guards every <c>/v1/collections/{collection}/...</c> route: the name must be well-formed (400)
/// and inside the caller's key's collections (403).
/// </summary>
internal sealed partial class CollectionRouteFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return Check(http.User, http.Request.RouteValues["collection"] as string ?? "") ?? await next(context);
    }

    /// <summary>The 400 for a malformed name or the 403 for a collection outside the caller's key; null when allowed.</summary>
    public static ProblemHttpResult? Check(ClaimsPrincipal user, string collection)
    {
        if (!Name().IsMatch(collection))
        {
            return Problems.BadRequest(
                $"Collection name '{collection}' is not valid: use 1 to 128 letters, digits, '_', '-' or '.', starting with a letter or digit.",
                "Invalid collection name");
        }
        return CollectionAccess.Allows(user, collection) ? null : Forbidden(collection);
    }

    private static ProblemHttpResult Forbidden(string collection) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Collection not allowed",
            detail: $"This API key may not use collection '{collection}'.");

    // \z, not $: $ also matches before a final line break, which would let "docs\n" through as a name.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex Name();
}
