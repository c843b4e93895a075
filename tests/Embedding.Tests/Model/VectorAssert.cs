namespace Rag.Embedding.Tests.Model;

internal static class VectorAssert
{
    public const float Tolerance = 1e-5f;

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }
        return max;
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = Tolerance)
    {
        var diff = MaxAbsDiff(expected, actual);
        Assert.True(diff <= tolerance, $"max abs diff {diff} > {tolerance}");
    }

    public static float Norm(ReadOnlySpan<float> v)
    {
        var sum = 0.0;
        foreach (var x in v)
        {
            sum += x * x;
        }
        return (float)Math.Sqrt(sum);
    }
}
