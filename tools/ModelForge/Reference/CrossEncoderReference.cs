using Rag.ModelForge.Encoder;

namespace Rag.ModelForge.Reference;

/// <summary>BertForSequenceClassification in plain managed code: <see cref="EncoderReference"/>, then pooler and classifier on [CLS].</summary>
public sealed class CrossEncoderReference(EncoderWeights encoder, ClassifierWeights head)
{
    private readonly EncoderReference _encoder = new(encoder);
    private readonly ClassifierWeights _head = head ?? throw new ArgumentNullException(nameof(head));

    /// <summary>The reference for the model <see cref="CrossEncoderForge"/> builds from <paramref name="options"/>.</summary>
    public static CrossEncoderReference For(CrossEncoderOptions options)
    {
        var (_, encoder, head) = CrossEncoderForge.Create(options);
        return new CrossEncoderReference(encoder, head);
    }

    public EncoderConfig Config => _encoder.Config;

    /// <summary>logits [labels] for one unpadded sequence (<c>[CLS] A [SEP] B [SEP]</c> with its token types).</summary>
    public float[] Logits(IReadOnlyList<long> ids, IReadOnlyList<long> tokenTypes)
    {
        var h = Config.HiddenSize;
        var cls = _encoder.LastHiddenState(ids, tokenTypes).AsSpan(0, h).ToArray();
        var pooled = Kernels.AddRows(Kernels.MatMul(cls, _head.Pooler, 1, h, h), _head.PoolerBias);
        for (var i = 0; i < h; i++)
        {
            pooled[i] = (float)Math.Tanh(pooled[i]);
        }
        return Kernels.AddRows(Kernels.MatMul(pooled, _head.Classifier, 1, h, _head.Labels), _head.ClassifierBias);
    }
}
