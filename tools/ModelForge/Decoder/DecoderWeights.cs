namespace Rag.ModelForge.Decoder;

/// <summary>One Llama layer. Matrices are [in, out] (ONNX MatMul order).</summary>
public sealed record DecoderLayerWeights(
    float[] InputNorm,
    float[] Query, // [hidden, heads * head_dim]
    float[] Key, // [hidden, kv_heads * head_dim]
    float[] Value, // [hidden, kv_heads * head_dim]
    float[] Output, // [heads * head_dim, hidden]
    float[] PostAttentionNorm,
    float[] Gate, // [hidden, intermediate]
    float[] Up, // [hidden, intermediate]
    float[] Down); // [intermediate, hidden]

/// <summary>All Llama weights, generated from a seed in a fixed order.</summary>
public sealed record DecoderWeights(
    DecoderConfig Config,
    float[] Embedding, // [vocab, hidden]
    IReadOnlyList<DecoderLayerWeights> Layers,
    float[] FinalNorm,
    float[]? LmHead, // [hidden, vocab]; null when tied to Embedding
    float[]? LmHeadBias = null) // [vocab]; null for Llama's bias-free head (Phi's head has one)
{
    public static DecoderWeights Generate(DecoderConfig config, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var rng = new SplitMix64(seed);
        var h = config.HiddenSize;
        var q = config.Heads * config.HeadDim;
        var kv = config.KvHeads * config.HeadDim;
        var i = config.IntermediateSize;
        // Unit-variance embeddings and 1/sqrt(fan_in) projections keep activations O(1) at every size, so logits
        // are well separated and greedy decoding is stable against float rounding.
        float[] Dense(int fanIn, int fanOut) => rng.Normal(fanIn * fanOut, 1.0 / Math.Sqrt(fanIn));
        float[] Norm() => rng.Normal(h, 0.1, 1.0);

        var embedding = rng.Normal(config.VocabSize * h, 1.0);
        var layers = new DecoderLayerWeights[config.Layers];
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l] = new DecoderLayerWeights(Norm(), Dense(h, q), Dense(h, kv), Dense(h, kv), Dense(q, h), Norm(),
                Dense(h, i), Dense(h, i), Dense(i, h));
        }
        var finalNorm = Norm();
        var lmHead = config.TieWordEmbeddings ? null : Dense(h, config.VocabSize);
        return new DecoderWeights(config, embedding, layers, finalNorm, lmHead);
    }
}
