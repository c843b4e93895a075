using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Encoder;

/// <summary>
/// The BERT graph as Optimum exports it for text classification:
/// input_ids, attention_mask, token_type_ids [batch, seq] int64 → logits [batch, labels] float.
/// </summary>
public static class CrossEncoderGraph
{
    public static OnnxGraph Build(EncoderWeights encoder, ClassifierWeights head)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(head);
        var h = encoder.Config.HiddenSize;
        var g = new GraphBuilder("bert");
        var states = EncoderGraph.HiddenStates(g, encoder);

        // [batch, seq, hidden] → the [CLS] row [batch, hidden].
        var cls = g.Op("Gather", [states, g.ScalarInt64(0)], new AttributeValue("axis", Whole: 1));
        var pooled = g.Op("Tanh", g.Add(g.MatMul(cls, g.Weight("pooler.dense.weight", head.Pooler, h, h)), g.Weight("pooler.dense.bias", head.PoolerBias, h)));
        var logits = g.Add(
            g.MatMul(pooled, g.Weight("classifier.weight", head.Classifier, h, head.Labels)),
            g.Weight("classifier.bias", head.ClassifierBias, head.Labels));
        g.Output(logits, "logits", OnnxDataType.Float, "batch_size", head.Labels);
        return g.Build();
    }
}
