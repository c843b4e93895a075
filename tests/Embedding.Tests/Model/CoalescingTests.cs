namespace Rag.Embedding.Tests.Model;

public class CoalescingTests
{
    private static readonly string[] Words = ["cats", "dogs", "rain", "farm", "river", "city", "music", "art"];

    /// <summary>Distinct texts of three words each, so the planner may put them all in one batch.</summary>
    private static string[] SameLengthTexts(int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"{Words[i % 8]} {Words[i / 8 % 8]} {Words[(i + 3) % 8]}")];

    private static async Task<float[]> EmbedOne(OnnxEmbeddingGenerator generator, string text) =>
        (await generator.GenerateAsync([text]))[0].Vector.ToArray();

    [Fact]
    public async Task Concurrent_single_text_callers_share_runs_and_each_gets_its_own_vector()
    {
        const int Callers = 16;
        var texts = SameLengthTexts(Callers);
        // A folder of its own, so the counted runs are this test's and no other test class's.
        var folder = EncoderFolders.Variant(EncoderFolders.Mean, "coalescing", _ => { });
        using var alone = EncoderFolders.Open(folder, o => o.MaxBatchWait = TimeSpan.Zero);
        var expected = new float[Callers][];
        for (var i = 0; i < Callers; i++)
        {
            expected[i] = await EmbedOne(alone, texts[i]);
        }
        Assert.Single(texts.Select(alone.CountTokens).Distinct());
        using var generator = EncoderFolders.Open(folder, o => o.MaxBatchWait = TimeSpan.FromSeconds(1));
        using var counter = new RunCounter(generator.ModelId);

        // Sixteen calls in flight at once, as sixteen HTTP requests would be. They are issued back to back rather than
        // from sixteen pool threads released together: on a loaded two-core machine such threads start one by one,
        // each finding the worker idle, and the test measured the scheduler instead of the queue.
        var callers = new Task<float[]>[Callers];
        for (var i = 0; i < Callers; i++)
        {
            callers[i] = EmbedOne(generator, texts[i]);
        }
        var actual = await Task.WhenAll(callers);

        Assert.Equal(Callers, counter.Texts);
        Assert.InRange(counter.Runs, 1, Callers - 1);
        Assert.True(counter.LargestBatch > 1, $"largest batch {counter.LargestBatch}");
        for (var i = 0; i < Callers; i++)
        {
            VectorAssert.Close(expected[i], actual[i]);
        }
    }

    [Fact]
    public async Task Metrics_count_the_runs_texts_tokens_and_padding_of_a_model()
    {
        var texts = TestTexts.Varied(12);
        var folder = EncoderFolders.Variant(EncoderFolders.Mean, "metrics", _ => { });
        using var generator = EncoderFolders.Open(folder, o => o.MaxBatchTokens = 64);
        using var counter = new RunCounter(generator.ModelId);

        await generator.GenerateAsync(texts);

        var lengths = texts.Select(generator.CountTokens).ToArray();
        Assert.Equal(texts.Length, counter.Texts);
        Assert.Equal(lengths.Sum(), counter.Tokens);
        Assert.True(counter.PaddedTokens >= counter.Tokens);
        Assert.InRange(counter.Runs, lengths.Sum() / 64 + 1, texts.Length);
    }
}
