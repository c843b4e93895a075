using Microsoft.Extensions.Options;

namespace Rag.Api.Hosting;

/// <summary>What data annotations cannot say about the keys: every key non-empty and distinct, the metrics key included.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i].Key;
            if (string.IsNullOrWhiteSpace(key))
            {
                failures.Add($"Api:Keys:{i}:Key is empty; give every API key a value (Api__Keys__{i}__Key=...).");
            }
            else if (!seen.Add(key))
            {
                failures.Add($"Api:Keys:{i}:Key repeats an earlier key; each key must be distinct.");
            }
        }
        if (options.MetricsKey is { Length: > 0 } metricsKey && (string.IsNullOrWhiteSpace(metricsKey) || seen.Contains(metricsKey)))
        {
            failures.Add("Api:MetricsKey is empty or the same as an API key; give the metrics scraper a key of its own.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
