using System.Globalization;

namespace Rag.Load.Bench;

internal sealed record LoadOptions(Uri Url, IReadOnlyList<int> Levels, int RequestsPerClient, string Collection, string? ApiKey)
{
    public static LoadOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }
        var key = Value("--key", "");
        return new LoadOptions(
            new Uri(Value("--url", "http://127.0.0.1:8080")),
            Value("--levels", "1,4,16").Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList(),
            int.Parse(Value("--requests", "8"), CultureInfo.InvariantCulture),
            Value("--collection", "load-check"),
            key.Length == 0 ? null : key);
    }
}
