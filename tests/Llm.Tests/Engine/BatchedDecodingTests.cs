using Rag.Llm.Engine;
using Rag.Llm.Onnx;

namespace Rag.Llm.Tests.Engine;

public class BatchedDecodingTests
{
    private const int Capacity = 64;

    /// <summary>Prompts of different lengths joining the batch at different steps; the second leaves early and the
    /// fourth joins after it, into the row (or batch position) it freed.</summary>
    private static readonly (int[] Prompt, int Join, int Steps)[] Plan =
    [
        ([5, 17, 42, 99, 7, 300, 12], 0, 22),
        ([3, 14], 2, 8),
        ([9, 8, 7, 6, 5, 4, 3, 2, 1, 11, 13, 17, 19], 5, 14),
        ([21, 22, 23], 12, 9),
    ];

    [Theory]
    [InlineData("gqa")]
    [InlineData("optimum")]
    [InlineData("merged")]
    public void Batched_greedy_decoding_gives_every_sequence_the_tokens_and_logits_it_gets_alone(string layout)
    {
        using var session = TinyDecoders.Load(layout);
        var vocab = session.VocabSize;
        var alone = Plan.Select(p => SingleSequence.Greedy(session, Capacity, p.Prompt, p.Steps)).ToArray();

        using var cache = session.CreateCacheManager(4, TinyDecoders.KvBytes(session, 4, Capacity), Capacity);
        using var executor = new ModelExecutor(session, cache, Capacity);
        var slots = new KvSlot?[Plan.Length];
        var produced = Plan.Select(_ => new List<int>()).ToArray();
        var logits = new float[4 * vocab];
        var worst = 0f;
        var maxBatch = 0;
        for (var step = 0; step < 40; step++)
        {
            // Decode every sequence that was already in the batch, in one Run.
            var active = Enumerable.Range(0, Plan.Length).Where(i => slots[i] is not null).ToList();
            if (active.Count > 0)
            {
                maxBatch = Math.Max(maxBatch, active.Count);
                executor.Decode([.. active.Select(i => slots[i]!)], [.. active.Select(i => produced[i][^1])], logits);
                for (var row = 0; row < active.Count; row++)
                {
                    var i = active[row];
                    worst = Math.Max(worst, Accept(logits.AsSpan(row * vocab, vocab), alone[i].Logits[produced[i].Count], produced[i]));
                    if (produced[i].Count == Plan[i].Steps)
                    {
                        cache.Release(slots[i]!);
                        slots[i] = null;
                    }
                }
            }
            // Then admit the sequences whose turn it is: one prefill Run each, first token from its last row.
            for (var i = 0; i < Plan.Length; i++)
            {
                if (Plan[i].Join == step)
                {
                    slots[i] = cache.TryAdmit(Plan[i].Prompt.Length, Capacity)!;
                    executor.Prefill(slots[i]!, Plan[i].Prompt, logits.AsSpan(0, vocab));
                    cache.CompletePrefill(slots[i]!);
                    worst = Math.Max(worst, Accept(logits.AsSpan(0, vocab), alone[i].Logits[0], produced[i]));
                }
            }
        }

        for (var i = 0; i < Plan.Length; i++)
        {
            Assert.Equal(alone[i].Tokens, produced[i]);
        }
        Assert.Equal(3, maxBatch);
        Assert.InRange(worst, 0f, 1e-4f);
        Assert.Equal(0, cache.ReservedBytes);
    }

    [Theory]
    [InlineData("gqa")]
    [InlineData("optimum")]
    [InlineData("merged")]
    public void Chunked_prefill_gives_the_logits_of_one_shot_prefill(string layout)
    {
        using var session = TinyDecoders.Load(layout);
        var vocab = session.VocabSize;
        int[] prompt = [9, 8, 7, 6, 5, 4, 3, 2, 1, 11, 13, 17, 19];
        var oneShot = SingleSequence.Greedy(session, Capacity, prompt, 6);
        using var chunked = new SingleSequence(session, Capacity, prompt.Length);
        var logits = new float[vocab];
        var tokens = new List<int>();

        chunked.Chunk(prompt.AsSpan(0, 4), []);
        chunked.Chunk(prompt.AsSpan(4, 4), []);
        chunked.Chunk(prompt.AsSpan(8, 4), []);
        chunked.Chunk(prompt.AsSpan(12, 1), logits);
        chunked.Join();
        var worst = Accept(logits, oneShot.Logits[0], tokens);
        for (var step = 1; step < 6; step++)
        {
            chunked.Run([tokens[^1]], logits);
            worst = Math.Max(worst, Accept(logits, oneShot.Logits[step], tokens));
        }

        Assert.Equal(oneShot.Tokens, tokens);
        Assert.InRange(worst, 0f, 1e-4f);
    }

    /// <summary>Greedy pick from <paramref name="logits"/>; returns its largest distance from <paramref name="expected"/>.</summary>
    private static float Accept(ReadOnlySpan<float> logits, float[] expected, List<int> tokens)
    {
        var worst = 0f;
        for (var v = 0; v < expected.Length; v++)
        {
            worst = Math.Max(worst, Math.Abs(logits[v] - expected[v]));
        }
        tokens.Add(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits));
        return worst;
    }
}
