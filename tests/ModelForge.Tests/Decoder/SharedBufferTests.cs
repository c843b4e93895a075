using Microsoft.ML.OnnxRuntime;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Onnx;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Decoder;

public sealed class SharedBufferTests
{
    [Fact]
    public void Gqa_cache_bound_as_both_past_and_present_is_updated_in_place_and_decodes_like_the_reference()
    {
        const int capacity = 96;
        const int prompt = 5;
        const int steps = 20;
        var options = new DecoderOptions(Layout: DecoderLayout.Gqa);
        var reference = DecoderReference.For(options);
        var c = reference.Config;
        var tokens = DecoderOnnxTests.Tokens(c.VocabSize, prompt + steps, seed: 21);
        var expected = reference.Logits(tokens);

        using var session = new InferenceSession(Path.Combine(ForgedModels.Decoder(options), "onnx", "model.onnx"));
        using var binding = session.CreateIoBinding();
        using var runOptions = new RunOptions();
        long[] cacheShape = [1, c.KvHeads, capacity, c.HeadDim];
        var buffers = Enumerable.Range(0, 2 * c.Layers).Select(_ => new float[c.KvHeads * capacity * c.HeadDim]).ToArray();
        var caches = buffers.Select(b => Tensors.Float(b, cacheShape)).ToArray();
        var position = 0;
        try
        {
            for (var l = 0; l < c.Layers; l++)
            {
                // One buffer per tensor, bound on both sides: GroupQueryAttention appends the new keys in place.
                binding.BindInput($"past_key_values.{l}.key", caches[2 * l]);
                binding.BindOutput($"present.{l}.key", caches[2 * l]);
                binding.BindInput($"past_key_values.{l}.value", caches[2 * l + 1]);
                binding.BindOutput($"present.{l}.value", caches[2 * l + 1]);
            }
            foreach (var chunk in new[] { tokens[..prompt] }.Concat(tokens[prompt..].Select(t => new[] { t })))
            {
                var total = position + chunk.Length;
                using var ids = Tensors.Int64(chunk, 1, chunk.Length);
                using var mask = Tensors.Int64(Enumerable.Repeat(1L, total).ToArray(), 1, total);
                binding.BindInput("input_ids", ids);
                binding.BindInput("attention_mask", mask);
                binding.BindOutputToDevice("logits", OrtMemoryInfo.DefaultInstance);
                session.RunWithBinding(runOptions, binding);
                using var outputs = binding.GetOutputValues();
                // Outputs come back in binding order: the 2·layers caches, then logits.
                var logits = outputs[^1];
                Assert.Equal([1L, chunk.Length, c.VocabSize], logits.GetTensorTypeAndShape().Shape);
                var last = logits.GetTensorDataAsSpan<float>()[^c.VocabSize..];
                Assert.InRange(Tensors.MaxAbsDifference(last, expected.AsSpan((total - 1) * c.VocabSize, c.VocabSize)), 0f, 1e-4f);
                position = total;
            }
        }
        finally
        {
            foreach (var cache in caches)
            {
                cache.Dispose();
            }
        }

        // The managed arrays behind the bound buffers now hold keys for every position written, and nothing beyond.
        var keys = buffers[0];
        var rowLength = capacity * c.HeadDim;
        Assert.Contains(keys.AsSpan(0, c.HeadDim).ToArray(), x => x != 0f);
        Assert.Contains(keys.AsSpan((position - 1) * c.HeadDim, c.HeadDim).ToArray(), x => x != 0f);
        Assert.All(keys.AsSpan(position * c.HeadDim, rowLength - position * c.HeadDim).ToArray(), x => Assert.Equal(0f, x));
    }
}
