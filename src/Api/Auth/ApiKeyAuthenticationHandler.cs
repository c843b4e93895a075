using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Rag.Api.Hosting;

namespace Rag.Api.Auth;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;key&gt;</c> (what OpenAI clients send) or <c>X-Api-Key: &lt;key&gt;</c>.
/// With no keys configured every caller is let in with access to every collection: the service is open.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ApiOptions> apiOptions,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var keys = apiOptions.Value.Keys;
        if (keys.Count == 0)
        {
            return Task.FromResult(Success(CollectionAccess.Open()));
        }
        var presented = PresentedKey(Request);
        // The metrics key is no API key: its bearer stays anonymous, and only MetricsAccess lets it in (to /metrics).
        if (presented is null || (apiOptions.Value.MetricsKey is { Length: > 0 } metricsKey && FixedTimeEquals(metricsKey, presented)))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        foreach (var key in keys)
        {
            if (FixedTimeEquals(key.Key, presented))
            {
                return Task.FromResult(Success(CollectionAccess.For(key)));
            }
        }
        return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
    }

    /// <summary>Whether the request carries <paramref name="key"/> (compared in constant time).</summary>
    public static bool Presents(HttpRequest request, string key) =>
        PresentedKey(request) is { } presented && FixedTimeEquals(key, presented);

    // Only MetricsAccess forbids an authenticated key (one limited to some collections); a collection outside the
    // key's list is refused by CollectionRouteFilter.
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = "This API key is limited to some collections; this needs a key for every collection (or, for /metrics, Api:MetricsKey).",
            },
        });
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "API key required",
                Detail = PresentedKey(Request) is null
                    ? "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
                    : "The API key is not valid; check it against the service's Api:Keys configuration.",
            },
        });
    }

    private static AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[bearer.Length..].Trim()
            : null;
    }

    // Comparing hashes keeps the comparison length-independent as well as constant-time.
    private static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
