using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Onnx;

namespace Rag.Llm.Tests.Engine;

public class PrefixCacheTests
{
    private const int Capacity = 64;
    private static readonly int[] First = [9, 8, 7, 6, 5, 4, 3, 2, 1, 11, 13, 17, 19];
    // Shares First's first nine tokens: two whole blocks of four.
    private static readonly int[] Second = [9, 8, 7, 6, 5, 4, 3, 2, 1, 50, 51, 52, 53, 54];

    [Theory]
    [InlineData("gqa")]
    [InlineData("optimum")]
    [InlineData("merged")]
    public void A_prefix_cache_hit_gives_the_logits_of_recomputing_the_prompt(string layout)
    {
        using var session = TinyDecoders.Load(layout);
        var vocab = session.VocabSize;
        using var cache = session.CreateCacheManager(2, TinyDecoders.KvBytes(session, 2, Capacity), Capacity);
        cache.EnablePrefixCache(blockTokens: 4, budgetBytes: 1 << 20);
        using var executor = new ModelExecutor(session, cache, Capacity);
        var logits = new float[vocab];
        var first = cache.TryAdmit(First.Length, Capacity)!;
        executor.Prefill(first, First, logits);
        cache.StorePrefix(first, First);
        cache.CompletePrefill(first);
        cache.Release(first);

        var second = cache.TryAdmit(Second.Length, Capacity)!;
        var reused = cache.AttachPrefix(second, Second);
        executor.Prefill(second, Second.AsSpan(reused), logits);
        cache.CompletePrefill(second);
        var produced = new List<int>();
        var expected = SingleSequence.Greedy(session, Capacity, Second, 6);
        var worst = 0f;
        for (var step = 0; step < 6; step++)
        {
            worst = Math.Max(worst, expected.Logits[step].Zip(logits, (a, b) => Math.Abs(a - b)).Max());
            produced.Add(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits));
            if (step < 5)
            {
                executor.Decode([second], [produced[^1]], logits);
            }
        }

        Assert.Equal(8, reused);
        Assert.Equal(expected.Tokens, produced);
        Assert.InRange(worst, 0f, 1e-4f);
    }

    [Fact]
    public void The_prefix_cache_stays_within_its_budget_and_evicts_the_least_recently_used_block()
    {
        using var session = TinyDecoders.Load("gqa");
        using var cache = session.CreateCacheManager(1, TinyDecoders.KvBytes(session, 1, Capacity), Capacity);
        var blockBytes = 4 * cache.PositionBytes;
        cache.EnablePrefixCache(blockTokens: 4, budgetBytes: 2 * blockBytes);
        using var executor = new ModelExecutor(session, cache, Capacity);
        var logits = new float[session.VocabSize];
        void Run(int[] prompt)
        {
            var slot = cache.TryAdmit(prompt.Length, Capacity)!;
            executor.Prefill(slot, prompt.AsSpan(cache.AttachPrefix(slot, prompt)), logits);
            cache.StorePrefix(slot, prompt);
            cache.Release(slot);
        }

        Run([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Equal(2 * blockBytes, cache.PrefixBytes);
        Run([20, 21, 22, 23, 24]);
        Assert.Equal(2 * blockBytes, cache.PrefixBytes);

        // [1, 2, 3, 4] was used least recently and went; [20, 21, 22, 23] is there.
        var probe = cache.TryAdmit(9, Capacity)!;
        Assert.Equal(0, cache.AttachPrefix(probe, [1, 2, 3, 4, 5, 6, 7, 8, 9]));
        cache.Release(probe);
        probe = cache.TryAdmit(6, Capacity)!;
        Assert.Equal(4, cache.AttachPrefix(probe, [20, 21, 22, 23, 24, 25]));
    }

    [Theory]
    [InlineData("gqa")]
    [InlineData("optimum")]
    public async Task Greedy_output_is_the_same_with_and_without_the_prefix_cache(string layout)
    {
        using var model = new TestModel(layout);
        var plain = model.Generator();
        var cached = model.Generator(prefixCacheBytes: 1 << 20, prefixBlockTokens: 4);
        int[][] prompts = [First, Second, First, [.. Second, 60, 61]];
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var reused = new List<int>();

        foreach (var prompt in prompts)
        {
            var without = new GenerationStats();
            var with = new GenerationStats();
            await foreach (var _ in plain.GenerateAsync(prompt, options, without))
            {
            }
            await foreach (var _ in cached.GenerateAsync(prompt, options, with))
            {
            }
            Assert.Equal(without.CompletionTokenIds, with.CompletionTokenIds);
            Assert.Equal(0, without.CachedPromptTokens);
            reused.Add(with.CachedPromptTokens);
        }

        // Whole blocks of four, never the prompt's last token: Second shares two blocks with First; First again
        // finds its three; the longer Second finds Second's three.
        Assert.Equal([0, 8, 12, 12], reused);
    }
}
