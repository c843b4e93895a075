using System.Globalization;

namespace Rag.ModelForge.Cli;

/// <summary>Parsed <c>--name value</c> / <c>--flag</c> options; anything unknown or malformed is an <see cref="ArgumentException"/>.</summary>
internal sealed class ForgeArguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public ForgeArguments(IEnumerable<string> options, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        using var e = options.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (flags.Contains(name))
            {
                _values[name] = null;
            }
            else if (valued.Contains(name))
            {
                _values[name] = e.MoveNext() && !e.Current.StartsWith("--", StringComparison.Ordinal)
                    ? e.Current
                    : throw new ArgumentException($"{name} needs a value.");
            }
            else
            {
                throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
    }

    public bool Flag(string name) => _values.ContainsKey(name);

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) && value is not null ? value
        : fallback ?? throw new ArgumentException($"{name} is required.");

    public ulong Seed() => ulong.TryParse(Text("--seed", "1"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : throw new ArgumentException("--seed must be a non-negative integer.");

    public T Choice<T>(string name, T fallback, IReadOnlyDictionary<string, T> choices)
    {
        if (!_values.TryGetValue(name, out var value))
        {
            return fallback;
        }
        return value is not null && choices.TryGetValue(value, out var choice)
            ? choice
            : throw new ArgumentException($"{name} must be one of: {string.Join(", ", choices.Keys)}.");
    }
}
