using Rag.Llm.Generation;

namespace Rag.Llm.Tests.Generation;

public class SamplerTests
{
    private static float[] LogitsOf(params double[] probabilities) => [.. probabilities.Select(p => (float)Math.Log(p))];

    private static HashSet<int> Draws(float[] logits, SamplingOptions options, int count = 4000, int seed = 7)
    {
        var sampler = new Sampler(logits.Length);
        var random = new Random(seed);
        var seen = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            seen.Add(sampler.Sample((float[])logits.Clone(), options, new TokenHistory(logits.Length), random));
        }
        return seen;
    }

    [Fact]
    public void Temperature_zero_picks_the_argmax()
    {
        var logits = new float[] { 0.1f, 3f, -2f, 2.9f };
        var token = new Sampler(4).Sample(logits, SamplingOptions.Greedy, new TokenHistory(4), new Random(1));
        Assert.Equal(1, token);
    }

    [Fact]
    public void Top_k_never_leaves_the_k_best()
    {
        var random = new Random(42);
        var logits = new float[1000];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)random.NextDouble() * 4;
        }
        var best = logits.Select((l, i) => (l, i)).OrderByDescending(x => x.l).Take(5).Select(x => x.i).ToHashSet();

        var seen = Draws(logits, new SamplingOptions { Temperature = 5f, TopK = 5 });

        Assert.Subset(best, seen);
        Assert.Equal(best, seen);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        var logits = LogitsOf(0.05, 0.5, 0.15, 0.3);

        Assert.Equal([1, 3], Draws(logits, new SamplingOptions { TopP = 0.8f }).Order());
        Assert.Equal([1, 2, 3], Draws(logits, new SamplingOptions { TopP = 0.81f }).Order());
        Assert.Equal([1], Draws(logits, new SamplingOptions { TopP = 0.4f }).Order());
    }

    [Fact]
    public void Min_p_drops_tokens_below_the_scaled_top_probability()
    {
        var logits = LogitsOf(0.05, 0.5, 0.15, 0.3);

        Assert.Equal([1, 2, 3], Draws(logits, new SamplingOptions { MinP = 0.25f }).Order());
        Assert.Equal([1, 3], Draws(logits, new SamplingOptions { MinP = 0.5f }).Order());
    }

    [Fact]
    public void Sampling_follows_the_distribution()
    {
        var logits = LogitsOf(0.7, 0.2, 0.1);
        var sampler = new Sampler(3);
        var random = new Random(3);
        var counts = new int[3];
        for (var i = 0; i < 20000; i++)
        {
            counts[sampler.Sample((float[])logits.Clone(), new SamplingOptions(), new TokenHistory(3), random)]++;
        }
        Assert.InRange(counts[0] / 20000.0, 0.68, 0.72);
        Assert.InRange(counts[2] / 20000.0, 0.09, 0.11);
    }

    [Fact]
    public void Seeded_sampling_reproduces_and_different_seeds_differ()
    {
        var logits = new float[200];
        static int[] Run(float[] logits, int seed)
        {
            var sampler = new Sampler(logits.Length);
            var random = new Random(seed);
            return [.. Enumerable.Range(0, 64).Select(_ => sampler.Sample((float[])logits.Clone(), new SamplingOptions(), new TokenHistory(200), random))];
        }

        Assert.Equal(Run(logits, 11), Run(logits, 11));
        Assert.NotEqual(Run(logits, 11), Run(logits, 12));
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_context_tokens()
    {
        var history = new TokenHistory(3);
        history.AddPrompt([0, 2]);
        var logits = new float[] { 2f, 1.5f, -1f };

        new Sampler(3).Sample(logits, SamplingOptions.Greedy with { RepetitionPenalty = 2f }, history, new Random(1));

        Assert.Equal([1f, 1.5f, -2f], logits);
    }

    [Fact]
    public void Presence_and_frequency_penalties_count_generated_tokens_only()
    {
        var history = new TokenHistory(3);
        history.AddPrompt([1]);
        history.AddGenerated(0);
        history.AddGenerated(0);
        history.AddGenerated(2);
        var logits = new float[] { 2f, 1.5f, 1f };

        var token = new Sampler(3).Sample(
            logits, SamplingOptions.Greedy with { PresencePenalty = 0.5f, FrequencyPenalty = 0.25f }, history, new Random(1));

        Assert.Equal([2f - 0.5f - 0.5f, 1.5f, 1f - 0.5f - 0.25f], logits);
        Assert.Equal(1, token);
    }
}
