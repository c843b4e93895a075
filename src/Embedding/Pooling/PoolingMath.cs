using System.Numerics.Tensors;

namespace Rag.Embedding.Pooling;

/// <summary>Column-wise reductions over row-major token embeddings, vectorised through TensorPrimitives.</summary>
internal static class PoolingMath
{
    public static void Sum(ReadOnlySpan<float> tokens, int hidden, Span<float> destination)
    {
        tokens[..hidden].CopyTo(destination);
        for (var row = hidden; row < tokens.Length; row += hidden)
        {
            TensorPrimitives.Add(destination, tokens.Slice(row, hidden), destination);
        }
    }

    public static void Max(ReadOnlySpan<float> tokens, int hidden, Span<float> destination)
    {
        tokens[..hidden].CopyTo(destination);
        for (var row = hidden; row < tokens.Length; row += hidden)
        {
            TensorPrimitives.Max(destination, tokens.Slice(row, hidden), destination);
        }
    }

    public static void Scale(Span<float> values, float factor) => TensorPrimitives.Multiply(values, factor, values);

    /// <summary>Same guard as torch.nn.functional.normalize: a zero vector stays zero instead of becoming NaN.</summary>
    public static void NormalizeL2(Span<float> values)
    {
        var norm = TensorPrimitives.Norm(values);
        TensorPrimitives.Multiply(values, 1f / MathF.Max(norm, 1e-12f), values);
    }
}
