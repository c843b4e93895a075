using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Decoder;

/// <summary>
/// The Optimum / transformers.js signature:
/// input_ids, position_ids [batch, seq] · attention_mask [batch, past+seq] · past_key_values.{i}.key/.value
/// [batch, kv_heads, past, head_dim] → logits [batch, seq, vocab] · present.{i}.key/.value [batch, kv_heads, past+seq, head_dim].
/// Attention is written with standard ops: queries grouped as [batch, kv_heads, groups, seq, head_dim] so each
/// KV head broadcasts over its query group instead of being repeated.
/// </summary>
public static class OptimumDecoderGraph
{
    /// <summary>Added to scores of keys that are padding or in the future.</summary>
    public const float MaskedScore = -1e9f;

    public static OnnxGraph Build(DecoderWeights weights, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new DecoderOptions();
        var c = weights.Config;
        var g = new GraphBuilder("llama");
        var ids = DecoderIo.IdInput(g, options, "input_ids", "batch_size", "sequence_length");
        var mask = DecoderIo.IdInput(g, options, "attention_mask", "batch_size", "total_sequence_length");
        var positions = DecoderIo.IdInput(g, options, "position_ids", "batch_size", "sequence_length");
        var past = DecoderIo.PastInputs(g, c, options, "past_sequence_length")
            .Select(p => (Key: DecoderIo.ToFloat(g, p.Key, options.KvType), Value: DecoderIo.ToFloat(g, p.Value, options.KvType))).ToArray();

        var scoreBias = ScoreBias(g, ids, mask);
        var (cosTable, sinTable) = Rotary.Tables(c);
        var cos = g.Op("Gather", g.Weight("rotary.cos", cosTable, c.MaxPositions, c.HeadDim / 2), positions); // [batch, seq, half]
        var sin = g.Op("Gather", g.Weight("rotary.sin", sinTable, c.MaxPositions, c.HeadDim / 2), positions);
        var keyRotation = (g.Unsqueeze(cos, 1), g.Unsqueeze(sin, 1)); // [batch, 1, seq, half]
        var queryRotation = (g.Unsqueeze(cos, 1, 2), g.Unsqueeze(sin, 1, 2)); // [batch, 1, 1, seq, half]

        var logits = LlamaBlocks.Body(g, weights, ids, (x, l) =>
        {
            var w = weights.Layers[l];
            var prefix = $"model.layers.{l}.self_attn";
            var q = g.Transpose(g.Reshape(LlamaBlocks.Projection(g, x, $"{prefix}.q_proj.weight", w.Query, c.HiddenSize, c.Heads * c.HeadDim),
                0, 0, c.KvHeads, c.Groups, c.HeadDim), 0, 2, 3, 1, 4); // [batch, kv_heads, groups, seq, head_dim]
            var k = g.Transpose(g.Reshape(LlamaBlocks.Projection(g, x, $"{prefix}.k_proj.weight", w.Key, c.HiddenSize, c.KvHeads * c.HeadDim),
                0, 0, c.KvHeads, c.HeadDim), 0, 2, 1, 3); // [batch, kv_heads, seq, head_dim]
            var v = g.Transpose(g.Reshape(LlamaBlocks.Projection(g, x, $"{prefix}.v_proj.weight", w.Value, c.HiddenSize, c.KvHeads * c.HeadDim),
                0, 0, c.KvHeads, c.HeadDim), 0, 2, 1, 3);
            q = Rotate(g, q, queryRotation, c);
            k = Rotate(g, k, keyRotation, c);

            var presentKey = g.Concat(2, past[l].Key, k); // [batch, kv_heads, past+seq, head_dim]
            var presentValue = g.Concat(2, past[l].Value, v);
            DecoderIo.Output(g, presentKey, $"present.{l}.key", options.KvType, "batch_size", c.KvHeads, "total_sequence_length", c.HeadDim);
            DecoderIo.Output(g, presentValue, $"present.{l}.value", options.KvType, "batch_size", c.KvHeads, "total_sequence_length", c.HeadDim);

            var keysT = g.Transpose(g.Unsqueeze(presentKey, 2), 0, 1, 2, 4, 3); // [batch, kv_heads, 1, head_dim, total]
            var scores = g.Add(g.Mul(g.MatMul(q, keysT), g.Scalar(1f / MathF.Sqrt(c.HeadDim))), scoreBias); // [batch, kv, groups, seq, total]
            var context = g.MatMul(g.Softmax(scores), g.Unsqueeze(presentValue, 2)); // [batch, kv_heads, groups, seq, head_dim]
            var merged = g.Reshape(g.Transpose(context, 0, 3, 1, 2, 4), 0, 0, c.Heads * c.HeadDim);
            return LlamaBlocks.Projection(g, merged, $"{prefix}.o_proj.weight", w.Output, c.Heads * c.HeadDim, c.HiddenSize);
        });
        DecoderIo.Output(g, logits, "logits", options.LogitsType, "batch_size", "sequence_length", c.VocabSize);
        g.MoveOutputFirst("logits");
        return g.Build();
    }

    /// <summary>
    /// [batch, 1, 1, seq, total]: 0 where query i (absolute position past+i) may see key j — j ≤ past+i and
    /// attention_mask[b, j] = 1 — else <see cref="MaskedScore"/>. Left padding is just zeros in the mask.
    /// </summary>
    private static string ScoreBias(GraphBuilder g, string ids, string mask)
    {
        var total = g.Op("Squeeze", g.Dimension(mask, 1), g.Int64s(0));
        var past = g.Op("Sub", total, g.Op("Squeeze", g.Dimension(ids, 1), g.Int64s(0)));
        var keyIndex = g.Unsqueeze(g.Op("Range", g.ScalarInt64(0), total, g.ScalarInt64(1)), 0); // [1, total]
        var queryIndex = g.Unsqueeze(g.Op("Range", past, total, g.ScalarInt64(1)), 1); // [seq, 1]
        var causal = g.Op("LessOrEqual", keyIndex, queryIndex); // [seq, total]
        var notPadding = g.Unsqueeze(g.Cast(mask, OnnxDataType.Bool), 1, 2, 3); // [batch, 1, 1, 1, total]
        return g.Op("Where", g.Op("And", causal, notPadding), g.Scalar(0f), g.Scalar(MaskedScore));
    }

    /// <summary>Llama's rotate-half: [x1, x2] → [x1·cos − x2·sin, x2·cos + x1·sin] on the last axis.</summary>
    private static string Rotate(GraphBuilder g, string x, (string Cos, string Sin) rotation, DecoderConfig c)
    {
        var half = c.HeadDim / 2;
        var parts = g.Node("Split", [x, g.Int64s(half, half)], 2, "", new AttributeValue("axis", Whole: -1));
        var first = g.Op("Sub", g.Mul(parts[0], rotation.Cos), g.Mul(parts[1], rotation.Sin));
        var second = g.Add(g.Mul(parts[1], rotation.Cos), g.Mul(parts[0], rotation.Sin));
        return g.Concat(-1, first, second);
    }
}
