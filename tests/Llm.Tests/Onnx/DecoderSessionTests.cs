using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Onnx;
using Rag.Llm.Tests.Engine;

namespace Rag.Llm.Tests.Onnx;

public class DecoderSessionTests
{
    [Theory]
    [InlineData("optimum", KvLayout.Concat, true)]
    [InlineData("gqa", KvLayout.Shared, false)]
    [InlineData("merged", KvLayout.Concat, true)]
    public void The_layout_is_read_from_the_graph(string layout, KvLayout kv, bool positionIds)
    {
        using var session = TinyDecoders.Load(layout);
        var l = session.Layout;
        var c = TinyDecoders.Reference.Config;

        Assert.Equal(kv, l.Kv);
        Assert.Equal((c.Layers, c.KvHeads, c.HeadDim), (l.NumLayers, l.NumKeyValueHeads, l.HeadDim));
        Assert.Equal((TensorElementType.Int64, TensorElementType.Float, TensorElementType.Float), (l.IdType, l.KvType, l.LogitsType));
        Assert.Equal(positionIds, l.HasPositionIds);
        Assert.Equal(layout == "merged", l.HasUseCacheBranch);
        Assert.Equal(c.VocabSize, session.VocabSize);
    }

    [Theory]
    [InlineData("optimum")]
    [InlineData("gqa")]
    [InlineData("merged")]
    public void Decode_with_cache_matches_full_recompute(string layout)
    {
        using var session = TinyDecoders.Load(layout);
        var vocab = session.VocabSize;
        var tokens = new List<int> { 5, 17, 42, 99, 7, 300, 12 };
        const int steps = 70;
        using var cached = new SingleSequence(session, tokens.Count + steps, tokens.Count);
        var logits = new float[vocab];
        var fresh = new float[vocab];
        cached.Run(tokens.ToArray(), logits);

        var worst = 0f;
        for (var step = 0; step < steps; step++)
        {
            // A fresh state has no past: a merged decoder runs its without-past branch here, its with-past branch above.
            using (var full = new SingleSequence(session, tokens.Count, tokens.Count))
            {
                full.Run(tokens.ToArray(), fresh);
            }
            for (var i = 0; i < vocab; i++)
            {
                worst = Math.Max(worst, Math.Abs(logits[i] - fresh[i]));
            }
            // Alternate the argmax with a spread of ids so the sequence is not one repeated token.
            var next = step % 3 == 0 ? (step * 37) % vocab : Array.IndexOf(logits, logits.Max());
            tokens.Add(next);
            cached.Run([next], logits);
        }

        Assert.Equal(tokens.Count, cached.Position);
        Assert.InRange(worst, 0f, 1e-4f);
    }

    [Theory]
    [InlineData("optimum")]
    [InlineData("gqa")]
    [InlineData("merged")]
    public void Greedy_decoding_equals_the_managed_reference(string layout)
    {
        using var session = TinyDecoders.Load(layout);
        int[] prompt = [3, 14, 15, 92, 65, 35];
        var expected = TinyDecoders.Reference.Greedy([.. prompt.Select(t => (long)t)], 24);
        using var state = new SingleSequence(session, prompt.Length + 24, prompt.Length);
        var logits = new float[session.VocabSize];
        var produced = new List<long>();

        state.Run(prompt, logits);
        for (var i = 0; i < 24; i++)
        {
            var next = Array.IndexOf(logits, logits.Max());
            produced.Add(next);
            state.Run([next], logits);
        }

        Assert.Equal(expected, produced);
    }

    [Fact]
    public void Prefill_logits_equal_the_reference_last_row()
    {
        using var session = TinyDecoders.Load("optimum");
        int[] prompt = [1, 2, 3, 4, 5, 6, 7, 8];
        var vocab = session.VocabSize;
        var reference = TinyDecoders.Reference.Logits([.. prompt.Select(t => (long)t)]).AsSpan((prompt.Length - 1) * vocab, vocab).ToArray();
        using var state = new SingleSequence(session, prompt.Length, prompt.Length);
        var logits = new float[vocab];

        state.Run(prompt, logits);

        Assert.All(Enumerable.Range(0, vocab), i => Assert.InRange(logits[i] - reference[i], -1e-3f, 1e-3f));
    }

    [Fact]
    public void A_step_beyond_the_cache_capacity_is_refused()
    {
        using var session = TinyDecoders.Load("optimum");
        using var state = new SingleSequence(session, 3, 3);
        var logits = new float[session.VocabSize];
        state.Run([1, 2, 3], logits);

        Assert.Throws<InvalidOperationException>(() => state.Run([4], logits));
    }

    [Fact]
    public void Weights_in_external_data_load_beside_the_graph()
    {
        var folder = Rag.TestSupport.ForgedModels.Decoder(new Rag.ModelForge.Decoder.DecoderOptions(ForceExternalData: true));
        Assert.True(File.Exists(Path.Combine(folder, "onnx", "model.onnx_data")));
        using var session = DecoderSession.Load(Rag.Llm.Loading.ModelFolder.Open(folder), ExecutionPlan.From("cpu", 0));
        int[] prompt = [9, 8, 7];
        using var state = new SingleSequence(session, 4, prompt.Length);
        var logits = new float[session.VocabSize];

        state.Run(prompt, logits);

        Assert.Equal(TinyDecoders.Reference.Greedy([9, 8, 7], 1)[0], Array.IndexOf(logits, logits.Max()));
    }
}
