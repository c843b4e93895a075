using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Onnx;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Onnx;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Decoder;

/// <summary>Optimum's merged decoder: use_cache_branch picks the with-past or the without-past branch of an If.</summary>
public sealed class MergedDecoderTests
{
    [Fact]
    public void The_merged_graph_adds_a_boolean_use_cache_branch_input_and_keeps_the_optimum_outputs()
    {
        var options = new DecoderOptions(Merged: true);
        var plain = ForgedModels.Decoder(new DecoderOptions());
        using var session = new InferenceSession(Path.Combine(ForgedModels.Decoder(options), "onnx", "model.onnx"));
        using var reference = new InferenceSession(Path.Combine(plain, "onnx", "model.onnx"));

        var branch = session.InputMetadata["use_cache_branch"];
        Assert.Equal(TensorElementType.Bool, branch.ElementDataType);
        Assert.Equal([1], branch.Dimensions);
        Assert.Equal([.. reference.InputNames, "use_cache_branch"], session.InputNames);
        Assert.Equal(reference.OutputNames, session.OutputNames);
    }

    [Theory]
    [InlineData(OnnxDataType.Float, OnnxDataType.Int64)]
    [InlineData(OnnxDataType.Float16, OnnxDataType.Int32)]
    public void Both_branches_decode_like_the_reference(OnnxDataType kv, OnnxDataType ids)
    {
        const int prompt = 7;
        const int steps = 20;
        var options = new DecoderOptions(KvType: kv, IdType: ids, Merged: true);
        var reference = DecoderReference.For(options);
        var v = reference.Config.VocabSize;
        var tokens = DecoderOnnxTests.Tokens(v, prompt + steps, seed: 17);
        var expected = reference.Logits(tokens);
        var tolerance = kv == OnnxDataType.Float ? 1e-4f : 2f * MathF.Pow(2, -10) * expected.Max(Math.Abs);
        var folder = ForgedModels.Decoder(options);

        // With zero-length past both branches must give the same prefill.
        float[] withoutPast, withPast;
        using (var first = new DecoderStepper(folder, reference.Config, options))
        {
            withoutPast = first.Step(tokens[..prompt], Enumerable.Repeat(1L, prompt).ToArray(), useCacheBranch: false);
        }
        using var stepper = new DecoderStepper(folder, reference.Config, options);
        withPast = stepper.Step(tokens[..prompt], Enumerable.Repeat(1L, prompt).ToArray(), useCacheBranch: true);
        Assert.InRange(Tensors.MaxAbsDifference(withoutPast, withPast), 0f, 1e-6f);
        Assert.InRange(Tensors.MaxAbsDifference(withPast, expected.AsSpan(0, prompt * v)), 0f, tolerance);

        for (var t = prompt; t < tokens.Length; t++)
        {
            Assert.InRange(Tensors.MaxAbsDifference(stepper.Step([tokens[t]], t + 1), expected.AsSpan(t * v, v)), 0f, tolerance);
        }
    }

    [Fact]
    public void Only_the_optimum_layout_can_be_merged() =>
        Assert.Throws<ArgumentException>(() => new DecoderOptions(Layout: DecoderLayout.Gqa, Merged: true).Validate());
}
