using Microsoft.Extensions.AI;

namespace Rag.Embedding.Tests.Model;

public class BatchingTests
{
    private static async Task<float[][]> Embed(OnnxEmbeddingGenerator generator, IEnumerable<string> texts) =>
        [.. (await generator.GenerateAsync(texts)).Select(e => e.Vector.ToArray())];

    private static async Task<float[][]> OneByOne(OnnxEmbeddingGenerator generator, IEnumerable<string> texts)
    {
        var vectors = new List<float[]>();
        foreach (var text in texts)
        {
            vectors.Add((await Embed(generator, [text]))[0]);
        }
        return [.. vectors];
    }

    [Theory]
    [InlineData(16)]
    [InlineData(200)]
    [InlineData(100_000)]
    public async Task Batched_results_equal_one_by_one_whatever_the_batch_composition(int maxBatchTokens)
    {
        var texts = TestTexts.Varied(40);
        using var generator = EncoderFolders.Open(EncoderFolders.Mean, o => o.MaxBatchTokens = maxBatchTokens);

        var single = await OneByOne(generator, texts);
        var batched = await Embed(generator, texts);

        for (var i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(single[i], batched[i]);
        }
    }

    [Fact]
    public async Task Padding_next_to_a_long_text_does_not_change_a_short_texts_vector()
    {
        var shortText = "Cats sleep.";
        var longText = string.Join(' ', TestTexts.Varied(6));
        using var generator = EncoderFolders.Open(EncoderFolders.Mean);

        var alone = (await Embed(generator, [shortText]))[0];
        var padded = await Embed(generator, [longText, shortText]);

        Assert.True(generator.CountTokens(longText) > 4 * generator.CountTokens(shortText));
        VectorAssert.Close(alone, padded[1]);
    }

    [Fact]
    public async Task Results_come_back_in_input_order_although_batches_run_longest_first()
    {
        var texts = TestTexts.Varied(30);
        var shuffled = texts.Reverse().ToArray();
        using var generator = EncoderFolders.Open(EncoderFolders.Mean, o => o.MaxBatchTokens = 256);

        var vectors = await Embed(generator, texts);
        var reversed = await Embed(generator, shuffled);

        for (var i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(vectors[i], reversed[texts.Length - 1 - i]);
            Assert.True(VectorAssert.MaxAbsDiff(vectors[i], vectors[(i + 1) % texts.Length]) > 1e-3f, "distinct texts must get distinct vectors");
        }
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_vector()
    {
        var texts = TestTexts.Varied(48);
        using var generator = EncoderFolders.Open(EncoderFolders.Mean, o => o.MaxBatchWait = TimeSpan.FromMilliseconds(20));
        var expected = await OneByOne(generator, texts);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = texts.Select((text, i) => Task.Run(async () =>
        {
            await start.Task;
            return (await Embed(generator, [text]))[0];
        })).ToArray();
        start.SetResult();
        var actual = await Task.WhenAll(callers);

        for (var i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(expected[i], actual[i]);
        }
    }

    [Fact]
    public async Task Usage_counts_the_input_tokens_the_model_saw()
    {
        var texts = TestTexts.Varied(5);
        using var generator = EncoderFolders.Open(EncoderFolders.Mean);

        var result = await generator.GenerateAsync(texts);

        Assert.Equal(texts.Sum(generator.CountTokens), result.Usage?.InputTokenCount);
        Assert.Equal(texts.Select(generator.CountTokens), result.Select(e => (int)e.AdditionalProperties!["token_count"]!));
    }
}
