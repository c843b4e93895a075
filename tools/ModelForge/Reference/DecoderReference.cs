using Rag.ModelForge.Decoder;

namespace Rag.ModelForge.Reference;

/// <summary>
/// A plain managed Llama forward pass over the same weights the forge writes (no ONNX Runtime): one unpadded
/// sequence at positions 0..n−1, recomputed from scratch. Tests compare ONNX Runtime's output with it.
/// </summary>
public sealed class DecoderReference
{
    private readonly DecoderWeights _w;
    private readonly float[] _cos;
    private readonly float[] _sin;

    public DecoderReference(DecoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _w = weights;
        (_cos, _sin) = Rotary.Tables(weights.Config);
    }

    /// <summary>The reference for the model <see cref="DecoderForge"/> builds from <paramref name="options"/>.</summary>
    public static DecoderReference For(DecoderOptions options) => new(DecoderForge.Create(options).Weights);

    public DecoderConfig Config => _w.Config;

    /// <summary>Logits [tokens.Count, vocab] (row-major) for the whole sequence.</summary>
    public float[] Logits(IReadOnlyList<long> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var c = _w.Config;
        var n = tokens.Count;
        var h = c.HiddenSize;
        var x = new float[n * h];
        for (var t = 0; t < n; t++)
        {
            Array.Copy(_w.Embedding, tokens[t] * h, x, t * h, h);
        }
        foreach (var layer in _w.Layers)
        {
            Kernels.AddInPlace(x, Attention(RmsNorm(x, layer.InputNorm, n), layer, n));
            var normed = RmsNorm(x, layer.PostAttentionNorm, n);
            var gate = Kernels.MatMul(normed, layer.Gate, n, h, c.IntermediateSize);
            var up = Kernels.MatMul(normed, layer.Up, n, h, c.IntermediateSize);
            for (var i = 0; i < gate.Length; i++)
            {
                gate[i] = (float)(gate[i] / (1.0 + Math.Exp(-gate[i])) * up[i]);
            }
            Kernels.AddInPlace(x, Kernels.MatMul(gate, layer.Down, n, c.IntermediateSize, h));
        }
        var final = RmsNorm(x, _w.FinalNorm, n);
        var logits = _w.LmHead is { } head ? Kernels.MatMul(final, head, n, h, c.VocabSize) : TiedHead(final, n);
        return _w.LmHeadBias is { } bias ? Kernels.AddRows(logits, bias) : logits;
    }

    /// <summary>Greedy continuation of <paramref name="prompt"/>: up to <paramref name="maxNewTokens"/> ids, stopping after a stop token.</summary>
    public IReadOnlyList<long> Greedy(IReadOnlyList<long> prompt, int maxNewTokens, IReadOnlySet<long>? stopTokens = null)
    {
        var tokens = new List<long>(prompt);
        var generated = new List<long>();
        var vocab = _w.Config.VocabSize;
        while (generated.Count < maxNewTokens)
        {
            var logits = Logits(tokens);
            var next = ArgMax(logits.AsSpan((tokens.Count - 1) * vocab, vocab));
            generated.Add(next);
            tokens.Add(next);
            if (stopTokens?.Contains(next) == true)
            {
                break;
            }
        }
        return generated;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    private float[] Attention(float[] x, DecoderLayerWeights w, int n)
    {
        var c = _w.Config;
        var d = c.HeadDim;
        var q = Kernels.MatMul(x, w.Query, n, c.HiddenSize, c.Heads * d);
        var k = Kernels.MatMul(x, w.Key, n, c.HiddenSize, c.KvHeads * d);
        var v = Kernels.MatMul(x, w.Value, n, c.HiddenSize, c.KvHeads * d);
        Rotate(q, n, c.Heads);
        Rotate(k, n, c.KvHeads);
        var context = new float[n * c.Heads * d];
        var scores = new double[n];
        var scale = 1.0 / Math.Sqrt(d);
        for (var head = 0; head < c.Heads; head++)
        {
            var kvHead = head / c.Groups;
            for (var i = 0; i < n; i++)
            {
                // Causal: query i sees keys 0..i.
                for (var j = 0; j <= i; j++)
                {
                    var dot = 0.0;
                    for (var e = 0; e < d; e++)
                    {
                        dot += (double)q[(i * c.Heads + head) * d + e] * k[(j * c.KvHeads + kvHead) * d + e];
                    }
                    scores[j] = dot * scale;
                }
                Kernels.Softmax(scores.AsSpan(0, i + 1));
                for (var e = 0; e < d; e++)
                {
                    var sum = 0.0;
                    for (var j = 0; j <= i; j++)
                    {
                        sum += scores[j] * v[(j * c.KvHeads + kvHead) * d + e];
                    }
                    context[(i * c.Heads + head) * d + e] = (float)sum;
                }
            }
        }
        return Kernels.MatMul(context, w.Output, n, c.Heads * d, c.HiddenSize);
    }

    /// <summary>Rotate-half RoPE on [n, heads, head_dim] at positions 0..n−1.</summary>
    private void Rotate(float[] x, int n, int heads)
    {
        var d = _w.Config.HeadDim;
        var half = d / 2;
        for (var t = 0; t < n; t++)
        {
            for (var head = 0; head < heads; head++)
            {
                var offset = (t * heads + head) * d;
                for (var j = 0; j < half; j++)
                {
                    var cos = _cos[t * half + j];
                    var sin = _sin[t * half + j];
                    var first = x[offset + j];
                    var second = x[offset + half + j];
                    x[offset + j] = first * cos - second * sin;
                    x[offset + half + j] = second * cos + first * sin;
                }
            }
        }
    }

    private float[] RmsNorm(float[] x, float[] weight, int n)
    {
        var h = _w.Config.HiddenSize;
        var result = new float[x.Length];
        for (var t = 0; t < n; t++)
        {
            var sum = 0.0;
            for (var i = 0; i < h; i++)
            {
                sum += (double)x[t * h + i] * x[t * h + i];
            }
            var rms = Math.Sqrt(sum / h + _w.Config.RmsNormEps);
            for (var i = 0; i < h; i++)
            {
                result[t * h + i] = (float)(x[t * h + i] / rms * weight[i]);
            }
        }
        return result;
    }

    private float[] TiedHead(float[] x, int n)
    {
        var h = _w.Config.HiddenSize;
        var vocab = _w.Config.VocabSize;
        var logits = new float[n * vocab];
        for (var t = 0; t < n; t++)
        {
            for (var token = 0; token < vocab; token++)
            {
                var dot = 0.0;
                for (var i = 0; i < h; i++)
                {
                    dot += (double)x[t * h + i] * _w.Embedding[token * h + i];
                }
                logits[t * vocab + token] = (float)dot;
            }
        }
        return logits;
    }
}
