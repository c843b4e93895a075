namespace Rag.Eval.Metrics;

/// <summary>p50 and p95 of one stage's times in milliseconds (nearest rank), over <see cref="Samples"/> requests.</summary>
public sealed record Latency(int Samples, double P50Ms, double P95Ms)
{
    public static Latency? Of(IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            return null;
        }
        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        return new Latency(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95));
    }

    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="percent"/>% of the samples at or below it.</summary>
    internal static double Percentile(double[] sorted, int percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
