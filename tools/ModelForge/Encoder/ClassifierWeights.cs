namespace Rag.ModelForge.Encoder;

/// <summary>
/// BertForSequenceClassification's head: the pooler (dense + tanh on the [CLS] state) and the classifier
/// (dense → labels). Matrices are [in, out] (ONNX MatMul order).
/// </summary>
public sealed record ClassifierWeights(float[] Pooler, float[] PoolerBias, float[] Classifier, float[] ClassifierBias, int Labels)
{
    // The head has its own stream, so the encoder weights stay exactly those of the same seed's sentence encoder.
    private const ulong StreamOffset = 0x9E3779B97F4A7C15;

    public static ClassifierWeights Generate(int hiddenSize, int labels, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labels, 1);
        var rng = new SplitMix64(seed ^ StreamOffset);
        var scale = 1.0 / Math.Sqrt(hiddenSize);
        return new ClassifierWeights(
            rng.Normal(hiddenSize * hiddenSize, scale), rng.Normal(hiddenSize, 0.02),
            rng.Normal(hiddenSize * labels, scale), rng.Normal(labels, 0.02),
            labels);
    }
}
