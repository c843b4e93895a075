namespace Rag.Embedding.Pooling;

/// <summary>
/// Turns one text's token embeddings <c>[length, hidden]</c> (padding already excluded) into its sentence vector,
/// following the model's pooling config, then L2-normalises when the folder has a <c>Normalize</c> module.
/// </summary>
public sealed class Pooler
{
    private static readonly PoolingModes[] Order =
        [PoolingModes.Cls, PoolingModes.Max, PoolingModes.Mean, PoolingModes.MeanSqrtLength, PoolingModes.LastToken];

    public Pooler(PoolingModes modes, int hiddenSize, bool normalize)
    {
        if (modes == PoolingModes.None)
        {
            throw new ArgumentException("At least one pooling mode is required.", nameof(modes));
        }
        Modes = modes;
        HiddenSize = hiddenSize;
        Normalize = normalize;
        Dimension = hiddenSize * System.Numerics.BitOperations.PopCount((uint)modes);
    }

    public PoolingModes Modes { get; }

    public int HiddenSize { get; }

    public bool Normalize { get; }

    /// <summary>Length of the pooled vector: the hidden size times the number of modes.</summary>
    public int Dimension { get; }

    /// <param name="tokens">Row-major <c>[length, HiddenSize]</c>, the real tokens of one text only.</param>
    /// <param name="destination">Exactly <see cref="Dimension"/> floats.</param>
    public void Pool(ReadOnlySpan<float> tokens, Span<float> destination)
    {
        var length = tokens.Length / HiddenSize;
        if (length == 0 || destination.Length != Dimension)
        {
            throw new ArgumentException("Pooling needs at least one token and a destination of the pooled dimension.");
        }
        var offset = 0;
        foreach (var mode in Order)
        {
            if ((Modes & mode) == 0)
            {
                continue;
            }
            var slice = destination.Slice(offset, HiddenSize);
            switch (mode)
            {
                case PoolingModes.Cls:
                    tokens[..HiddenSize].CopyTo(slice);
                    break;
                case PoolingModes.LastToken:
                    tokens[^HiddenSize..].CopyTo(slice);
                    break;
                case PoolingModes.Max:
                    PoolingMath.Max(tokens, HiddenSize, slice);
                    break;
                case PoolingModes.Mean:
                    PoolingMath.Sum(tokens, HiddenSize, slice);
                    PoolingMath.Scale(slice, 1f / length);
                    break;
                case PoolingModes.MeanSqrtLength:
                    PoolingMath.Sum(tokens, HiddenSize, slice);
                    PoolingMath.Scale(slice, 1f / MathF.Sqrt(length));
                    break;
            }
            offset += HiddenSize;
        }
        if (Normalize)
        {
            PoolingMath.NormalizeL2(destination);
        }
    }
}
