using Rag.Api.Contracts.OpenAi;

namespace Rag.Api.Endpoints.OpenAi;

/// <summary>
/// The names clients use for a loaded model. Its full id (<c>snowflake-arctic-embed-xs@sha256:0123456789abcdef</c>)
/// is the folder's Hugging Face name plus a hash of its weights, and is what collections record; OpenAI-style
/// clients are configured with the short id (the name alone), so a request may name either, or no model at all.
/// </summary>
public static class ModelNames
{
    private const string WeightsSeparator = "@sha256:";

    /// <summary>The full id without its weights hash.</summary>
    public static string ShortId(string fullId)
    {
        ArgumentNullException.ThrowIfNull(fullId);
        var at = fullId.IndexOf(WeightsSeparator, StringComparison.Ordinal);
        return at < 0 ? fullId : fullId[..at];
    }

    /// <summary><c>sha256:…</c> from the full id, or null when it carries no hash (a remote model).</summary>
    public static string? Weights(string fullId)
    {
        ArgumentNullException.ThrowIfNull(fullId);
        var at = fullId.IndexOf(WeightsSeparator, StringComparison.Ordinal);
        return at < 0 ? null : fullId[(at + 1)..];
    }

    /// <summary>True when <paramref name="requested"/> is empty or names the model by its full or short id (case-insensitive).</summary>
    public static bool Matches(string? requested, string fullId) =>
        string.IsNullOrEmpty(requested)
        || string.Equals(requested, fullId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(requested, ShortId(fullId), StringComparison.OrdinalIgnoreCase);

    /// <summary>The entry <c>/v1/models</c> lists: the short id, with the full id and its weights hash as metadata.</summary>
    public static ModelDto Listed(ModelDto loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return loaded with { Id = ShortId(loaded.Id), FullId = loaded.Id, Weights = Weights(loaded.Id) };
    }
}
