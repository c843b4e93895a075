using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Encoder;

/// <summary>
/// The BERT graph as Optimum exports it for feature extraction:
/// input_ids, attention_mask, token_type_ids [batch, seq] int64 → last_hidden_state [batch, seq, hidden] float.
/// </summary>
public static class EncoderGraph
{
    /// <summary>Added to the scores of padded keys; large enough that softmax gives them zero weight.</summary>
    public const float MaskedScore = -1e9f;

    public static OnnxGraph Build(EncoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var g = new GraphBuilder("bert");
        g.Output(HiddenStates(g, weights), "last_hidden_state", OnnxDataType.Float, "batch_size", "sequence_length", weights.Config.HiddenSize);
        return g.Build();
    }

    /// <summary>Declares the three inputs and adds the embeddings and layers; returns the final token states [batch, seq, hidden].</summary>
    public static string HiddenStates(GraphBuilder g, EncoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(weights);
        var c = weights.Config;
        var ids = g.Input("input_ids", OnnxDataType.Int64, "batch_size", "sequence_length");
        var mask = g.Input("attention_mask", OnnxDataType.Int64, "batch_size", "sequence_length");
        var types = g.Input("token_type_ids", OnnxDataType.Int64, "batch_size", "sequence_length");

        // Positions 0..seq-1, shared by every row (absolute position embeddings).
        var seqLength = g.Op("Squeeze", g.Dimension(ids, 1), g.Int64s(0));
        var positions = g.Op("Range", g.ScalarInt64(0), seqLength, g.ScalarInt64(1));
        var x = g.Add(g.Add(
                g.Op("Gather", g.Weight("embeddings.word_embeddings.weight", weights.WordEmbeddings, c.VocabSize, c.HiddenSize), ids),
                g.Op("Gather", g.Weight("embeddings.position_embeddings.weight", weights.PositionEmbeddings, c.MaxPositions, c.HiddenSize), positions)),
            g.Op("Gather", g.Weight("embeddings.token_type_embeddings.weight", weights.TokenTypeEmbeddings, c.TypeVocabSize, c.HiddenSize), types));
        x = LayerNorm(g, x, "embeddings.LayerNorm", weights.EmbeddingNormScale, weights.EmbeddingNormBias, c);

        // [batch, 1, 1, seq]: 0 where the key is a real token, MaskedScore where it is padding.
        var keep = g.Cast(g.Unsqueeze(mask, 1, 2), OnnxDataType.Float);
        var scoreBias = g.Mul(g.Op("Sub", g.Scalar(1f), keep), g.Scalar(MaskedScore));

        for (var l = 0; l < weights.Layers.Count; l++)
        {
            x = Layer(g, x, scoreBias, weights.Layers[l], $"encoder.layer.{l}", c);
        }
        return x;
    }

    private static string Layer(GraphBuilder g, string x, string scoreBias, EncoderLayerWeights w, string prefix, EncoderConfig c)
    {
        var h = c.HiddenSize;
        string Dense(string input, string name, float[] matrix, float[] bias, int fanIn, int fanOut) =>
            g.Add(g.MatMul(input, g.Weight($"{prefix}.{name}.weight", matrix, fanIn, fanOut)), g.Weight($"{prefix}.{name}.bias", bias, fanOut));

        // Heads: [batch, seq, hidden] → [batch, heads, seq, head_dim]; keys directly as [batch, heads, head_dim, seq].
        var q = g.Transpose(g.Reshape(Dense(x, "attention.self.query", w.Query, w.QueryBias, h, h), 0, 0, c.Heads, c.HeadDim), 0, 2, 1, 3);
        var k = g.Transpose(g.Reshape(Dense(x, "attention.self.key", w.Key, w.KeyBias, h, h), 0, 0, c.Heads, c.HeadDim), 0, 2, 3, 1);
        var v = g.Transpose(g.Reshape(Dense(x, "attention.self.value", w.Value, w.ValueBias, h, h), 0, 0, c.Heads, c.HeadDim), 0, 2, 1, 3);
        var scores = g.Add(g.Mul(g.MatMul(q, k), g.Scalar(1f / MathF.Sqrt(c.HeadDim))), scoreBias);
        var context = g.Reshape(g.Transpose(g.MatMul(g.Softmax(scores), v), 0, 2, 1, 3), 0, 0, h);
        var attention = Dense(context, "attention.output.dense", w.AttentionOut, w.AttentionOutBias, h, h);
        x = LayerNorm(g, g.Add(x, attention), $"{prefix}.attention.output.LayerNorm", w.AttentionNormScale, w.AttentionNormBias, c);

        var inner = Dense(x, "intermediate.dense", w.Intermediate, w.IntermediateBias, h, c.IntermediateSize);
        var gelu = g.Mul(g.Mul(inner, g.Scalar(0.5f)), g.Add(g.Scalar(1f), g.Op("Erf", g.Mul(inner, g.Scalar(1f / MathF.Sqrt(2f))))));
        var output = Dense(gelu, "output.dense", w.Output, w.OutputBias, c.IntermediateSize, h);
        return LayerNorm(g, g.Add(x, output), $"{prefix}.output.LayerNorm", w.OutputNormScale, w.OutputNormBias, c);
    }

    private static string LayerNorm(GraphBuilder g, string x, string name, float[] scale, float[] bias, EncoderConfig c) =>
        g.Op("LayerNormalization", [x, g.Weight($"{name}.weight", scale, c.HiddenSize), g.Weight($"{name}.bias", bias, c.HiddenSize)],
            new AttributeValue("axis", Whole: -1), new AttributeValue("epsilon", Real: c.LayerNormEps));
}
