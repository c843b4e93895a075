using Rag.ModelForge.Encoder;

namespace Rag.ModelForge.Reference;

/// <summary>
/// A plain managed BERT forward pass over the same weights the forge writes (no ONNX Runtime), for one unpadded
/// sequence, plus sentence-transformers pooling and normalization.
/// </summary>
public sealed class EncoderReference(EncoderWeights weights)
{
    private readonly EncoderWeights _w = weights ?? throw new ArgumentNullException(nameof(weights));

    /// <summary>The reference for the model <see cref="EncoderForge"/> builds from <paramref name="options"/>.</summary>
    public static EncoderReference For(EncoderOptions options) => new(EncoderForge.Create(options).Weights);

    public EncoderConfig Config => _w.Config;

    /// <summary>last_hidden_state [ids.Count, hidden] (row-major); token types default to 0.</summary>
    public float[] LastHiddenState(IReadOnlyList<long> ids, IReadOnlyList<long>? tokenTypes = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var c = _w.Config;
        var n = ids.Count;
        var h = c.HiddenSize;
        var x = new float[n * h];
        for (var t = 0; t < n; t++)
        {
            var type = tokenTypes?[t] ?? 0;
            for (var i = 0; i < h; i++)
            {
                x[t * h + i] = _w.WordEmbeddings[ids[t] * h + i] + _w.PositionEmbeddings[t * h + i] + _w.TokenTypeEmbeddings[type * h + i];
            }
        }
        x = LayerNorm(x, _w.EmbeddingNormScale, _w.EmbeddingNormBias);
        foreach (var layer in _w.Layers)
        {
            var attention = Kernels.AddRows(Kernels.MatMul(SelfAttention(x, layer, n), layer.AttentionOut, n, h, h), layer.AttentionOutBias);
            Kernels.AddInPlace(attention, x);
            x = LayerNorm(attention, layer.AttentionNormScale, layer.AttentionNormBias);
            var inner = Kernels.AddRows(Kernels.MatMul(x, layer.Intermediate, n, h, c.IntermediateSize), layer.IntermediateBias);
            for (var i = 0; i < inner.Length; i++)
            {
                inner[i] = (float)(0.5 * inner[i] * (1.0 + Kernels.Erf(inner[i] / Math.Sqrt(2.0))));
            }
            var output = Kernels.AddRows(Kernels.MatMul(inner, layer.Output, n, c.IntermediateSize, h), layer.OutputBias);
            Kernels.AddInPlace(output, x);
            x = LayerNorm(output, layer.OutputNormScale, layer.OutputNormBias);
        }
        return x;
    }

    /// <summary>The sentence vector sentence-transformers would produce for this pooling (and Normalize module).</summary>
    public float[] SentenceEmbedding(IReadOnlyList<long> ids, Pooling pooling, bool normalize) =>
        Pool(LastHiddenState(ids), ids.Count, _w.Config.HiddenSize, pooling, normalize);

    /// <summary>Pools unpadded token states [tokens, hidden]: mean of all tokens or the first ([CLS]) token, optionally L2-normalized.</summary>
    public static float[] Pool(ReadOnlySpan<float> states, int tokens, int hidden, Pooling pooling, bool normalize)
    {
        var vector = new float[hidden];
        var used = pooling == Pooling.Cls ? 1 : tokens;
        for (var t = 0; t < used; t++)
        {
            for (var i = 0; i < hidden; i++)
            {
                vector[i] += states[t * hidden + i] / used;
            }
        }
        if (normalize)
        {
            var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
            for (var i = 0; i < hidden; i++)
            {
                vector[i] = (float)(vector[i] / Math.Max(norm, 1e-12));
            }
        }
        return vector;
    }

    private float[] SelfAttention(float[] x, EncoderLayerWeights w, int n)
    {
        var c = _w.Config;
        var h = c.HiddenSize;
        var d = c.HeadDim;
        var q = Kernels.AddRows(Kernels.MatMul(x, w.Query, n, h, h), w.QueryBias);
        var k = Kernels.AddRows(Kernels.MatMul(x, w.Key, n, h, h), w.KeyBias);
        var v = Kernels.AddRows(Kernels.MatMul(x, w.Value, n, h, h), w.ValueBias);
        var context = new float[n * h];
        var scores = new double[n];
        var scale = 1.0 / Math.Sqrt(d);
        for (var head = 0; head < c.Heads; head++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var dot = 0.0;
                    for (var e = 0; e < d; e++)
                    {
                        dot += (double)q[i * h + head * d + e] * k[j * h + head * d + e];
                    }
                    scores[j] = dot * scale;
                }
                Kernels.Softmax(scores);
                for (var e = 0; e < d; e++)
                {
                    var sum = 0.0;
                    for (var j = 0; j < n; j++)
                    {
                        sum += scores[j] * v[j * h + head * d + e];
                    }
                    context[i * h + head * d + e] = (float)sum;
                }
            }
        }
        return context;
    }

    private float[] LayerNorm(float[] x, float[] scale, float[] bias)
    {
        var h = _w.Config.HiddenSize;
        var result = new float[x.Length];
        for (var offset = 0; offset < x.Length; offset += h)
        {
            var row = x.AsSpan(offset, h);
            var mean = 0.0;
            foreach (var value in row)
            {
                mean += value;
            }
            mean /= h;
            var variance = 0.0;
            foreach (var value in row)
            {
                variance += (value - mean) * (value - mean);
            }
            var std = Math.Sqrt(variance / h + _w.Config.LayerNormEps);
            for (var i = 0; i < h; i++)
            {
                result[offset + i] = (float)((row[i] - mean) / std * scale[i] + bias[i]);
            }
        }
        return result;
    }
}
