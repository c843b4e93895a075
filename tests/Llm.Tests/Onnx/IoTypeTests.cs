using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Generation;
using Rag.Llm.Loading;
using Rag.Llm.Onnx;
using Rag.Llm.Serving;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Onnx;
using Rag.TestSupport;

using Rag.Llm.Tests.Engine;

namespace Rag.Llm.Tests.Onnx;

/// <summary>Exports that declare float16 KV / logits or int32 ids run through the real engine like float32 ones.</summary>
public sealed class IoTypeTests
{
    public static TheoryData<string, OnnxDataType, OnnxDataType, OnnxDataType> Variants => new()
    {
        { "optimum", OnnxDataType.Float16, OnnxDataType.Float16, OnnxDataType.Int64 },
        { "optimum", OnnxDataType.Float, OnnxDataType.Float, OnnxDataType.Int32 },
        { "optimum", OnnxDataType.Float16, OnnxDataType.Float, OnnxDataType.Int32 },
        { "gqa", OnnxDataType.Float16, OnnxDataType.Float16, OnnxDataType.Int64 },
        { "gqa", OnnxDataType.Float, OnnxDataType.Float16, OnnxDataType.Int32 },
        { "gqa", OnnxDataType.Float16, OnnxDataType.Float16, OnnxDataType.Int32 },
        { "merged", OnnxDataType.Float16, OnnxDataType.Float16, OnnxDataType.Int32 },
    };

    private static DecoderOptions Options(string layout, OnnxDataType kv, OnnxDataType logits, OnnxDataType ids) =>
        TinyDecoders.Options(layout) with { KvType = kv, LogitsType = logits, IdType = ids };

    private static DecoderSession Load(DecoderOptions options) =>
        DecoderSession.Load(ModelFolder.Open(ForgedModels.Decoder(options)), ExecutionPlan.From("cpu", 0));

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_detected_layout_reports_the_declared_types(string layout, OnnxDataType kv, OnnxDataType logits, OnnxDataType ids)
    {
        using var session = Load(Options(layout, kv, logits, ids));
        var l = session.Layout;
        var c = TinyDecoders.Reference.Config;

        Assert.Equal((Element(ids), Element(kv), Element(logits)), (l.IdType, l.KvType, l.LogitsType));
        Assert.Equal(layout == "gqa" ? KvLayout.Shared : KvLayout.Concat, l.Kv);
        Assert.Equal((long)c.KvHeads * c.HeadDim * (kv == OnnxDataType.Float16 ? 2 : 4), l.BytesPerPosition);
        using var state = new SingleSequence(session, 40, 4);
        Assert.Equal((layout == "gqa" ? 1 : 2) * l.NumLayers * 2L * 40 * l.BytesPerPosition, state.Slot.ReservedBytes);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Cached_decoding_stays_within_float16_rounding_of_the_reference(string layout, OnnxDataType kv, OnnxDataType logits, OnnxDataType ids)
    {
        using var session = Load(Options(layout, kv, logits, ids));
        var vocab = session.VocabSize;
        var tokens = new List<int> { 5, 17, 42, 99, 7, 300, 12 };
        const int steps = 40;
        using var state = new SingleSequence(session, tokens.Count + steps, tokens.Count);
        var produced = new float[vocab];
        state.Run(tokens.ToArray(), produced);

        var worst = 0f;
        var tolerance = 0f;
        for (var step = 0; step < steps; step++)
        {
            var expected = TinyDecoders.Reference.Logits([.. tokens.Select(t => (long)t)]).AsSpan((tokens.Count - 1) * vocab, vocab).ToArray();
            tolerance = Math.Max(tolerance, Tolerance(kv, logits, expected));
            for (var i = 0; i < vocab; i++)
            {
                worst = Math.Max(worst, Math.Abs(produced[i] - expected[i]));
            }
            var next = step % 3 == 0 ? (step * 37) % vocab : Array.IndexOf(expected, expected.Max());
            tokens.Add(next);
            state.Run([next], produced);
        }

        Assert.Equal(tokens.Count, state.Position);
        Assert.InRange(worst, 0f, tolerance);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Greedy_generation_equals_the_float32_models(string layout, OnnxDataType kv, OnnxDataType logits, OnnxDataType ids)
    {
        const int count = 24;
        var options = Options(layout, kv, logits, ids);
        var tokenizer = Rag.Tokenizers.HfTokenizer.Load(ForgedModels.Decoder(options));
        var prompt = tokenizer.Encode("the quick brown fox jumps over", addSpecialTokens: false);
        using var float32 = new TestModel(TinyDecoders.Load(layout), tokenizer);
        using var variant = new TestModel(Load(options), tokenizer);

        var expected = await Generate(float32.Generator(), prompt, count);
        var produced = await Generate(variant.Generator(), prompt, count);

        Assert.Equal(count, expected.Count);
        Assert.Equal(expected, produced);
    }

    private static async Task<IReadOnlyList<int>> Generate(Generator generator, int[] prompt, int count)
    {
        var stats = new GenerationStats();
        await foreach (var _ in generator.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = count }, stats))
        {
        }
        return stats.CompletionTokenIds;
    }

    /// <summary>float32 IO is exact to 1e-4; float16 KV or logits round to 11 significant bits: two float16 ulps of
    /// the largest logit bounds what the rounding of the logits and of the cached keys and values adds.</summary>
    private static float Tolerance(OnnxDataType kv, OnnxDataType logits, float[] expected) =>
        kv == OnnxDataType.Float && logits == OnnxDataType.Float ? 1e-4f : 2f * MathF.Pow(2, -10) * Math.Max(1f, expected.Max(Math.Abs));

    private static TensorElementType Element(OnnxDataType type) => (TensorElementType)(int)type;
}
