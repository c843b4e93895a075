using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Rag.Api.Hosting;

namespace Rag.Api.Auth;

/// <summary>
/// Who may read <c>/metrics</c>, which shows every tenant's job counts and the model ids. An open service (no keys)
/// shows it to anyone, like everything else; with keys, only a key for every collection, or <c>Api:MetricsKey</c> —
/// a scraper's key that opens nothing else.
/// </summary>
internal static class MetricsAccess
{
    public const string PolicyName = "metrics";

    public static void AddPolicy(AuthorizationOptions options) =>
        options.AddPolicy(PolicyName, policy => policy.RequireAssertion(Allows));

    private static bool Allows(AuthorizationHandlerContext context)
    {
        if (CollectionAccess.AllowsAll(context.User))
        {
            return true;
        }
        return context.Resource is HttpContext http
            && http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MetricsKey is { Length: > 0 } metricsKey
            && ApiKeyAuthenticationHandler.Presents(http.Request, metricsKey);
    }
}
