using Rag.Embedding.Pooling;

namespace Rag.Embedding.Tests.Pooling;

public class PoolerTests
{
    private const int Hidden = 8;

    private static float[] Tokens(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length * Hidden).Select(_ => (float)(random.NextDouble() * 4 - 2))];
    }

    private static float Column(float[] tokens, int row, int column) => tokens[row * Hidden + column];

    private static float[] Pool(PoolingModes modes, float[] tokens, bool normalize = false)
    {
        var pooler = new Pooler(modes, Hidden, normalize);
        var vector = new float[pooler.Dimension];
        pooler.Pool(tokens, vector);
        return vector;
    }

    [Fact]
    public void Mean_max_and_mean_sqrt_length_match_a_loop_over_the_tokens()
    {
        var tokens = Tokens(5, 1);
        var mean = Pool(PoolingModes.Mean, tokens);
        var max = Pool(PoolingModes.Max, tokens);
        var sqrt = Pool(PoolingModes.MeanSqrtLength, tokens);

        for (var c = 0; c < Hidden; c++)
        {
            var column = Enumerable.Range(0, 5).Select(r => Column(tokens, r, c)).ToArray();
            Assert.Equal(column.Sum() / 5, mean[c], 5);
            Assert.Equal(column.Max(), max[c], 6);
            Assert.Equal(column.Sum() / MathF.Sqrt(5), sqrt[c], 5);
        }
    }

    [Fact]
    public void Cls_takes_the_first_token_and_last_token_the_last()
    {
        var tokens = Tokens(4, 2);

        Assert.Equal(tokens[..Hidden], Pool(PoolingModes.Cls, tokens));
        Assert.Equal(tokens[^Hidden..], Pool(PoolingModes.LastToken, tokens));
    }

    [Fact]
    public void Several_modes_are_concatenated_in_sentence_transformers_order()
    {
        var tokens = Tokens(3, 3);
        var both = Pool(PoolingModes.Mean | PoolingModes.Cls, tokens);

        Assert.Equal(2 * Hidden, both.Length);
        Assert.Equal(Pool(PoolingModes.Cls, tokens), both[..Hidden]);
        Assert.Equal(Pool(PoolingModes.Mean, tokens), both[Hidden..]);
    }

    [Fact]
    public void Normalize_gives_unit_length_in_the_same_direction()
    {
        var tokens = Tokens(6, 4);
        var raw = Pool(PoolingModes.Mean, tokens);
        var unit = Pool(PoolingModes.Mean, tokens, normalize: true);

        var norm = MathF.Sqrt(raw.Sum(v => v * v));
        Assert.Equal(1f, MathF.Sqrt(unit.Sum(v => v * v)), 5);
        for (var c = 0; c < Hidden; c++)
        {
            Assert.Equal(raw[c] / norm, unit[c], 5);
        }
    }
}
