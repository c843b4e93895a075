namespace Rag.ModelForge.Encoder;

/// <summary>One encoder layer. Matrices are [in, out] (ONNX MatMul order).</summary>
public sealed record EncoderLayerWeights(
    float[] Query, float[] QueryBias, float[] Key, float[] KeyBias, float[] Value, float[] ValueBias,
    float[] AttentionOut, float[] AttentionOutBias, float[] AttentionNormScale, float[] AttentionNormBias,
    float[] Intermediate, float[] IntermediateBias, float[] Output, float[] OutputBias,
    float[] OutputNormScale, float[] OutputNormBias);

/// <summary>All BERT weights, generated from a seed in a fixed order so the same (config, seed, lexical) always gives the same model.</summary>
public sealed record EncoderWeights(
    EncoderConfig Config,
    float[] WordEmbeddings,
    float[] PositionEmbeddings,
    float[] TokenTypeEmbeddings,
    float[] EmbeddingNormScale,
    float[] EmbeddingNormBias,
    IReadOnlyList<EncoderLayerWeights> Layers)
{
    // With the lexical option the layers add ~1% to the residual stream, so each token state stays close to its
    // normalized word embedding and a mean-pooled vector is a random projection of the bag of words. Position and
    // type embeddings are zero (word order is ignored), and function tokens get a zero embedding: LayerNorm maps
    // them to 0, so their final state is only what attention gathered from the text itself — no common component
    // that would make every pair of texts look alike.
    private const double LexicalResidualScale = 0.01;

    /// <summary>Generates the weights; with <paramref name="lexical"/>, <paramref name="functionTokens"/> (ids) get zero embeddings.</summary>
    public static EncoderWeights Generate(EncoderConfig config, ulong seed, bool lexical, IEnumerable<int>? functionTokens = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var rng = new SplitMix64(seed);
        var h = config.HiddenSize;
        var i = config.IntermediateSize;
        var positionStd = lexical ? 0.0 : 1.0;
        var residualScale = lexical ? LexicalResidualScale : 1.0;
        float[] Dense(int fanIn, int fanOut, double scale = 1.0) => rng.Normal(fanIn * fanOut, scale / Math.Sqrt(fanIn));
        float[] Bias(int n, double scale = 1.0) => rng.Normal(n, 0.02 * scale);
        float[] NormScale() => lexical ? Filled(h, 1f) : rng.Normal(h, 0.1, 1.0);
        float[] NormBias() => lexical ? new float[h] : rng.Normal(h, 0.02);

        var words = rng.Normal(config.VocabSize * h, 1.0);
        foreach (var id in lexical ? functionTokens ?? [] : [])
        {
            Array.Clear(words, id * h, h);
        }
        var positions = rng.Normal(config.MaxPositions * h, positionStd);
        var types = rng.Normal(config.TypeVocabSize * h, positionStd);
        var embeddingScale = NormScale();
        var embeddingBias = NormBias();
        var layers = new EncoderLayerWeights[config.Layers];
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l] = new EncoderLayerWeights(
                Dense(h, h), Bias(h), Dense(h, h), Bias(h), Dense(h, h), Bias(h),
                Dense(h, h, residualScale), Bias(h, residualScale), NormScale(), NormBias(),
                Dense(h, i), Bias(i), Dense(i, h, residualScale), Bias(h, residualScale), NormScale(), NormBias());
        }
        return new EncoderWeights(config, words, positions, types, embeddingScale, embeddingBias, layers);
    }

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        Array.Fill(values, value);
        return values;
    }
}
