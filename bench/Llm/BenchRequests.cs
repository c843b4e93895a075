using Rag.Llm.Generation;

namespace Rag.Llm.Bench;

/// <summary>What the engine benchmarks send and read: random prompts, generations run to their end on a thread of
/// their own, and the median of a set of timings.</summary>
internal static class BenchRequests
{
    /// <summary><paramref name="length"/> random ids below <paramref name="vocab"/>, the same for the same seed.</summary>
    public static int[] Prompt(int vocab, int seed, int length)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => random.Next(vocab))];
    }

    public static GenerationStats Generate(Generator generator, int[] prompt, int newTokens)
    {
        var stats = new GenerationStats();
        Task.Run(async () =>
        {
            await foreach (var _ in generator.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = newTokens }, stats))
            {
            }
        }).GetAwaiter().GetResult();
        return stats;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
