using Microsoft.Extensions.AI;

namespace Rag.Embedding.Tests.Model;

public class PoolingTests
{
    public static TheoryData<string> Modes =>
        ["pooling_mode_mean_tokens", "pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_lasttoken"];

    /// <summary>The pooling written out the slow way, over the reference encoder's token states of one text.</summary>
    private static float[] ReferencePool(string mode, float[][] states) => mode switch
    {
        "pooling_mode_mean_tokens" => Column(states, c => states.Average(s => s[c])),
        "pooling_mode_cls_token" => states[0],
        "pooling_mode_max_tokens" => Column(states, c => states.Max(s => s[c])),
        "pooling_mode_mean_sqrt_len_tokens" => Column(states, c => states.Sum(s => s[c]) / MathF.Sqrt(states.Length)),
        "pooling_mode_lasttoken" => states[^1],
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static float[] Column(float[][] states, Func<int, float> value) => [.. Enumerable.Range(0, states[0].Length).Select(value)];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Each_pooling_mode_equals_pooling_the_reference_token_states(string mode)
    {
        var folder = EncoderFolders.Variant(EncoderFolders.MeanUnnormalized, $"pool-{mode}", dir =>
            File.WriteAllText(Path.Combine(dir, "1_Pooling", "config.json"), $$"""{ "word_embedding_dimension": 64, "{{mode}}": true }"""));
        var texts = TestTexts.Varied(9);
        using var generator = EncoderFolders.Open(folder, o => o.MaxBatchTokens = 128);

        var vectors = await generator.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var states = ReferenceEncoder.TokenStates(folder, texts[i]);
            VectorAssert.Close(ReferencePool(mode, states), vectors[i].Vector.Span, 1e-4f);
        }
    }

    [Fact]
    public async Task A_cls_model_is_pooled_from_its_first_token_and_not_mean_pooled()
    {
        var text = TestTexts.Varied(3)[2];
        using var generator = EncoderFolders.Open(EncoderFolders.Cls);

        var vector = (await generator.GenerateAsync([text]))[0].Vector.ToArray();

        var states = ReferenceEncoder.TokenStates(EncoderFolders.Cls, text);
        var cls = states[0];
        var mean = ReferencePool("pooling_mode_mean_tokens", states);
        var unit = (float[] v) => v.Select(x => x / VectorAssert.Norm(v)).ToArray();
        VectorAssert.Close(unit(cls), vector, 1e-4f);
        Assert.True(VectorAssert.MaxAbsDiff(unit(mean), vector) > 1e-2f);
    }

    [Fact]
    public async Task Vectors_are_unit_length_when_the_folder_has_a_normalize_module_and_not_otherwise()
    {
        var texts = TestTexts.Varied(6);
        using var normalized = EncoderFolders.Open(EncoderFolders.Mean);
        using var raw = EncoderFolders.Open(EncoderFolders.MeanUnnormalized);

        foreach (var embedding in await normalized.GenerateAsync(texts))
        {
            Assert.Equal(1f, VectorAssert.Norm(embedding.Vector.Span), 4);
        }
        foreach (var embedding in await raw.GenerateAsync(texts))
        {
            Assert.True(MathF.Abs(VectorAssert.Norm(embedding.Vector.Span) - 1f) > 1e-2f);
        }
    }
}
