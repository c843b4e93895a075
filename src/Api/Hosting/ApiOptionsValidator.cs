using Microsoft.Extensions.Options;

namespace Rag.Api.Hosting;

/// <summary>What data annotations cannot say about the key list: every key non-empty and distinct.</summary>
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
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
