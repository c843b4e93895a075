using Rag.ModelForge.Decoder;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Onnx;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Decoder;

public sealed class DecoderOnnxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(DecoderLayout.Optimum, true)]
    [InlineData(DecoderLayout.Optimum, false)]
    [InlineData(DecoderLayout.Gqa, true)]
    [InlineData(DecoderLayout.Gqa, false)]
    public void Onnx_runtime_logits_equal_the_managed_reference(DecoderLayout layout, bool tied)
    {
        var options = new DecoderOptions(Layout: layout, TieWordEmbeddings: tied);
        var reference = DecoderReference.For(options);
        var tokens = Tokens(reference.Config.VocabSize, 12, seed: 3);
        using var stepper = new DecoderStepper(ForgedModels.Decoder(options), reference.Config, layout);

        var logits = stepper.Step(tokens, tokens.Length);

        var difference = Tensors.MaxAbsDifference(logits, reference.Logits(tokens));
        output.WriteLine($"max |ORT − reference| = {difference:E2} over logits of magnitude up to {logits.Max(Math.Abs):F1}");
        Assert.InRange(difference, 0f, Tolerance);
    }

    [Theory]
    [InlineData(DecoderLayout.Optimum)]
    [InlineData(DecoderLayout.Gqa)]
    public void Decode_with_cache_matches_full_recompute(DecoderLayout layout)
    {
        const int prompt = 8;
        const int steps = 64;
        var options = new DecoderOptions(Layout: layout);
        var config = DecoderForge.Create(options).Weights.Config;
        var folder = ForgedModels.Decoder(options);
        var tokens = Tokens(config.VocabSize, prompt + steps, seed: 5);
        float[] full;
        using (var once = new DecoderStepper(folder, config, layout))
        {
            full = once.Step(tokens, tokens.Length);
        }

        using var stepper = new DecoderStepper(folder, config, layout);
        var v = config.VocabSize;
        var prefill = stepper.Step(tokens[..prompt], prompt);
        Assert.InRange(Tensors.MaxAbsDifference(prefill, full.AsSpan(0, prompt * v)), 0f, Tolerance);
        for (var t = prompt; t < tokens.Length; t++)
        {
            var step = stepper.Step([tokens[t]], t + 1);
            Assert.InRange(Tensors.MaxAbsDifference(step, full.AsSpan(t * v, v)), 0f, Tolerance);
        }
    }

    [Fact]
    public void Left_padded_batch_gives_each_prompt_its_unpadded_logits()
    {
        var options = new DecoderOptions();
        var reference = DecoderReference.For(options);
        var v = reference.Config.VocabSize;
        long[][] prompts = [Tokens(v, 9, seed: 11), Tokens(v, 4, seed: 12)];
        const int width = 9;
        const int steps = 6;
        var continuations = new[] { Tokens(v, steps, seed: 13), Tokens(v, steps, seed: 14) };
        using var stepper = new DecoderStepper(ForgedModels.Decoder(options), reference.Config, DecoderLayout.Optimum, batch: 2);

        // Row 1 is left-padded with 5 pad tokens; positions count real tokens only (pads get 1, as transformers does).
        var padding = width - prompts[1].Length;
        var ids = prompts[0].Concat(Enumerable.Repeat(0L, padding)).Concat(prompts[1]).ToArray();
        var maskRows = new[] { Enumerable.Repeat(1L, width).ToList(), Enumerable.Repeat(0L, padding).Concat(Enumerable.Repeat(1L, prompts[1].Length)).ToList() };
        var positions = Enumerable.Range(0, width).Select(p => (long)p)
            .Concat(Enumerable.Repeat(1L, padding)).Concat(Enumerable.Range(0, prompts[1].Length).Select(p => (long)p)).ToArray();
        var logits = stepper.Step(ids, [.. maskRows[0], .. maskRows[1]], positions);

        var expected0 = reference.Logits([.. prompts[0], .. continuations[0]]);
        var expected1 = reference.Logits([.. prompts[1], .. continuations[1]]);
        Assert.InRange(Tensors.MaxAbsDifference(logits.AsSpan(0, width * v), expected0.AsSpan(0, width * v)), 0f, Tolerance);
        Assert.InRange(Tensors.MaxAbsDifference(logits.AsSpan((width + padding) * v, prompts[1].Length * v), expected1.AsSpan(0, prompts[1].Length * v)), 0f, Tolerance);

        for (var s = 0; s < steps; s++)
        {
            maskRows[0].Add(1);
            maskRows[1].Add(1);
            var step = stepper.Step([continuations[0][s], continuations[1][s]], [.. maskRows[0], .. maskRows[1]], [width + s, prompts[1].Length + s]);
            Assert.InRange(Tensors.MaxAbsDifference(step.AsSpan(0, v), expected0.AsSpan((width + s) * v, v)), 0f, Tolerance);
            Assert.InRange(Tensors.MaxAbsDifference(step.AsSpan(v, v), expected1.AsSpan((prompts[1].Length + s) * v, v)), 0f, Tolerance);
        }
    }

    [Fact]
    public void Gqa_right_padded_batch_gives_each_prompt_its_unpadded_logits_while_decoding()
    {
        // GroupQueryAttention derives positions from seqlens_k (mask sums), so GenAI-style batches are right-padded:
        // each row's keys stay packed from slot 0 and each decode step writes at that row's own length.
        var options = new DecoderOptions(Layout: DecoderLayout.Gqa);
        var reference = DecoderReference.For(options);
        var v = reference.Config.VocabSize;
        long[][] sequences = [Tokens(v, 9 + 6, seed: 31), Tokens(v, 4 + 6, seed: 32)];
        int[] promptLengths = [9, 4];
        const int width = 9;
        using var stepper = new DecoderStepper(ForgedModels.Decoder(options), reference.Config, DecoderLayout.Gqa, batch: 2);
        long[] Row(int length, int total) => [.. Enumerable.Repeat(1L, length), .. Enumerable.Repeat(0L, total - length)];

        var ids = sequences[0][..width].Concat(sequences[1][..promptLengths[1]]).Concat(Enumerable.Repeat(0L, width - promptLengths[1])).ToArray();
        var logits = stepper.Step(ids, [.. Row(width, width), .. Row(promptLengths[1], width)]);
        var expected = sequences.Select(s => reference.Logits(s)).ToArray();
        for (var b = 0; b < 2; b++)
        {
            Assert.InRange(Tensors.MaxAbsDifference(logits.AsSpan(b * width * v, promptLengths[b] * v), expected[b].AsSpan(0, promptLengths[b] * v)), 0f, Tolerance);
        }
        for (var s = 0; s < 6; s++)
        {
            var total = width + s + 1;
            var step = stepper.Step([sequences[0][promptLengths[0] + s], sequences[1][promptLengths[1] + s]],
                [.. Row(promptLengths[0] + s + 1, total), .. Row(promptLengths[1] + s + 1, total)]);
            for (var b = 0; b < 2; b++)
            {
                Assert.InRange(Tensors.MaxAbsDifference(step.AsSpan(b * v, v), expected[b].AsSpan((promptLengths[b] + s) * v, v)), 0f, Tolerance);
            }
        }
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        var first = DecoderForge.Create(new DecoderOptions(Seed: 7)).Weights;
        var again = DecoderForge.Create(new DecoderOptions(Seed: 7)).Weights;
        var other = DecoderForge.Create(new DecoderOptions(Seed: 8)).Weights;
        Assert.Equal(first.Embedding, again.Embedding);
        Assert.Equal(first.Layers[^1].Down, again.Layers[^1].Down);
        Assert.NotEqual(first.Embedding, other.Embedding);
    }

    internal static long[] Tokens(int vocabSize, int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, count).Select(_ => (long)(rng.NextUInt64() % (ulong)vocabSize)).ToArray();
    }
}
