namespace Rag.Embedding.Bench;

internal sealed record BenchArguments(string Model, int Texts, int Threads, int MaxBatchTokens, int FixedBatch, int Callers, int CallsPerCaller,
    double? MaxBatchWaitMs, bool CoalescingOnly)
{
    public static BenchArguments Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
        int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

        var model = Value("--model") ?? BenchModel.ForgedMiniLm();
        return new BenchArguments(model, Number("--texts", 2000), Number("--threads", 0), Number("--max-batch-tokens", 8192),
            Number("--fixed-batch", 32), Number("--callers", 16), Number("--calls-per-caller", 8),
            Value("--max-batch-wait-ms") is { } wait ? double.Parse(wait, System.Globalization.CultureInfo.InvariantCulture) : null,
            args.Contains("--coalescing-only"));
    }
}
