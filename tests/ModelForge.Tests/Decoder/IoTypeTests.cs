using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.ModelForge.Cli;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Onnx;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Onnx;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Decoder;

/// <summary>Float16 KV / logits and int32 ids: the declared signature, and outputs equal to float32 within fp16 rounding.</summary>
public sealed class IoTypeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<DecoderLayout, OnnxDataType, OnnxDataType, OnnxDataType> Variants => new()
    {
        { DecoderLayout.Optimum, OnnxDataType.Float16, OnnxDataType.Float16, OnnxDataType.Int64 },
        { DecoderLayout.Optimum, OnnxDataType.Float, OnnxDataType.Float, OnnxDataType.Int32 },
        { DecoderLayout.Optimum, OnnxDataType.Float16, OnnxDataType.Float, OnnxDataType.Int32 },
        { DecoderLayout.Gqa, OnnxDataType.Float16, OnnxDataType.Float16, OnnxDataType.Int64 },
        { DecoderLayout.Gqa, OnnxDataType.Float, OnnxDataType.Float16, OnnxDataType.Int32 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_graph_declares_the_chosen_io_types(DecoderLayout layout, OnnxDataType kv, OnnxDataType logits, OnnxDataType ids)
    {
        var options = new DecoderOptions(Layout: layout, KvType: kv, LogitsType: logits, IdType: ids);
        var c = DecoderForge.Create(options).Weights.Config;
        using var session = new InferenceSession(Path.Combine(ForgedModels.Decoder(options), "onnx", "model.onnx"));
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;

        var idNames = layout == DecoderLayout.Optimum ? new[] { "input_ids", "attention_mask", "position_ids" } : ["input_ids", "attention_mask"];
        Assert.All(idNames, name => Assert.Equal(Element(ids), inputs[name].ElementDataType));
        Assert.Equal(Element(logits), outputs["logits"].ElementDataType);
        for (var l = 0; l < c.Layers; l++)
        {
            Assert.Equal(Element(kv), inputs[$"past_key_values.{l}.key"].ElementDataType);
            Assert.Equal(Element(kv), inputs[$"past_key_values.{l}.value"].ElementDataType);
            Assert.Equal(Element(kv), outputs[$"present.{l}.key"].ElementDataType);
            Assert.Equal(Element(kv), outputs[$"present.{l}.value"].ElementDataType);
        }
        Assert.Equal(idNames.Length + 2 * c.Layers, inputs.Count);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Cached_decoding_matches_the_float32_reference_within_float16_rounding(DecoderLayout layout, OnnxDataType kv, OnnxDataType logits, OnnxDataType ids)
    {
        const int prompt = 6;
        const int steps = 24;
        var options = new DecoderOptions(Layout: layout, KvType: kv, LogitsType: logits, IdType: ids);
        var reference = DecoderReference.For(options);
        var v = reference.Config.VocabSize;
        var tokens = DecoderOnnxTests.Tokens(v, prompt + steps, seed: 9);
        var expected = reference.Logits(tokens);
        using var stepper = new DecoderStepper(ForgedModels.Decoder(options), reference.Config, options);

        var worst = Tensors.MaxAbsDifference(stepper.Step(tokens[..prompt], prompt), expected.AsSpan(0, prompt * v));
        for (var t = prompt; t < tokens.Length; t++)
        {
            worst = Math.Max(worst, Tensors.MaxAbsDifference(stepper.Step([tokens[t]], t + 1), expected.AsSpan(t * v, v)));
        }

        var exact = kv == OnnxDataType.Float && logits == OnnxDataType.Float;
        output.WriteLine($"max |ORT − reference| = {worst:E2} (logits up to {expected.Max(Math.Abs):F2})");
        Assert.InRange(worst, 0f, exact ? 1e-4f : Float16Tolerance(expected));
    }

    [Fact]
    public void The_console_writes_float16_and_int32_signatures()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"forge-io-{Guid.NewGuid():N}");
        try
        {
            var code = ForgeCommand.Run(["decoder", "--out", directory, "--kv-dtype", "float16", "--logits-dtype", "float16", "--ids", "int32"]);

            Assert.Equal(0, code);
            using var session = new InferenceSession(Path.Combine(directory, "onnx", "model.onnx"));
            Assert.Equal(TensorElementType.Int32, session.InputMetadata["position_ids"].ElementDataType);
            Assert.Equal(TensorElementType.Float16, session.InputMetadata["past_key_values.0.key"].ElementDataType);
            Assert.Equal(TensorElementType.Float16, session.OutputMetadata["logits"].ElementDataType);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void An_unknown_dtype_is_a_usage_error() =>
        Assert.Equal(2, ForgeCommand.Run(["decoder", "--out", Path.GetTempPath(), "--kv-dtype", "bfloat16"]));

    [Fact]
    public void Ids_of_a_float_type_are_refused() =>
        Assert.Throws<ArgumentException>(() => new DecoderOptions(IdType: OnnxDataType.Float).Validate());

    /// <summary>Two float16 ulps of the largest logit: fp16 keeps 11 significant bits (relative step 2⁻¹⁰).</summary>
    private static float Float16Tolerance(float[] expected) => 2f * MathF.Pow(2, -10) * Math.Max(1f, expected.Max(Math.Abs));

    private static TensorElementType Element(OnnxDataType type) => (TensorElementType)(int)type;
}
