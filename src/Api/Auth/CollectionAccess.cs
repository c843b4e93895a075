using System.Security.Claims;
using Rag.Api.Hosting;

namespace Rag.Api.Auth;

/// <summary>Which collections a caller may use, carried as claims on the authenticated principal.</summary>
internal static class CollectionAccess
{
    private const string CollectionClaim = "rag:collection";
    private const string AllCollections = "*";

    public static ClaimsIdentity Open() =>
        new([new Claim(ClaimTypes.Name, "anonymous"), new Claim(CollectionClaim, AllCollections)], ApiKeyAuthenticationHandler.SchemeName);

    public static ClaimsIdentity For(ApiKey key)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name ?? "api-key") };
        if (key.Collections.Count == 0)
        {
            claims.Add(new Claim(CollectionClaim, AllCollections));
        }
        else
        {
            claims.AddRange(key.Collections.Select(c => new Claim(CollectionClaim, c)));
        }
        return new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName);
    }

    public static bool AllowsAll(ClaimsPrincipal user) => user.HasClaim(CollectionClaim, AllCollections);

    public static bool Allows(ClaimsPrincipal user, string collection) =>
        user.HasClaim(CollectionClaim, AllCollections) || user.HasClaim(CollectionClaim, collection);
}
