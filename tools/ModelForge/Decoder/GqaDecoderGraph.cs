using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Decoder;

/// <summary>
/// The signature ONNX Runtime GenAI's model builder writes:
/// input_ids [batch, seq] · attention_mask [batch, total] · past_key_values.{i}.key/.value [batch, kv_heads, max_length, head_dim]
/// → logits [batch, seq, vocab] · present.{i}.key/.value [batch, kv_heads, max_length, head_dim].
/// Attention and rotary embedding run inside com.microsoft.GroupQueryAttention; past and present have the same
/// fixed capacity so the caller can bind one buffer as both and the op appends in place. Positions come from
/// the mask (seqlens_k), so batched prompts must be right-padded, as GenAI does.
/// </summary>
public static class GqaDecoderGraph
{
    public const string CapacityDim = "max_length";

    public static OnnxGraph Build(DecoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var c = weights.Config;
        var g = new GraphBuilder("llama_gqa");
        var ids = g.Input("input_ids", OnnxDataType.Int64, "batch_size", "sequence_length");
        var mask = g.Input("attention_mask", OnnxDataType.Int64, "batch_size", "total_sequence_length");
        var past = LlamaBlocks.PastInputs(g, c, CapacityDim);

        // seqlens_k [batch] int32 = tokens in the mask − 1; total_sequence_length scalar int32 = mask width.
        var seqLensK = g.Cast(g.Op("Sub", g.Op("ReduceSum", [mask, g.Int64s(1)], new AttributeValue("keepdims", Whole: 0)), g.ScalarInt64(1)), OnnxDataType.Int32);
        var totalLength = g.Cast(g.Op("Squeeze", g.Dimension(mask, 1), g.Int64s(0)), OnnxDataType.Int32);
        var (cosTable, sinTable) = Rotary.Tables(c);
        var cos = g.Weight("cos_cache", cosTable, c.MaxPositions, c.HeadDim / 2);
        var sin = g.Weight("sin_cache", sinTable, c.MaxPositions, c.HeadDim / 2);

        var logits = LlamaBlocks.Body(g, weights, ids, (x, l) =>
        {
            var w = weights.Layers[l];
            var prefix = $"model.layers.{l}.self_attn";
            var q = LlamaBlocks.Projection(g, x, $"{prefix}.q_proj.weight", w.Query, c.HiddenSize, c.Heads * c.HeadDim);
            var k = LlamaBlocks.Projection(g, x, $"{prefix}.k_proj.weight", w.Key, c.HiddenSize, c.KvHeads * c.HeadDim);
            var v = LlamaBlocks.Projection(g, x, $"{prefix}.v_proj.weight", w.Value, c.HiddenSize, c.KvHeads * c.HeadDim);
            var attention = g.Node("GroupQueryAttention", [q, k, v, past[l].Key, past[l].Value, seqLensK, totalLength, cos, sin],
                [$"{prefix}.output", $"present.{l}.key", $"present.{l}.value"],
                GraphBuilder.MicrosoftDomain,
                new AttributeValue("num_heads", Whole: c.Heads),
                new AttributeValue("kv_num_heads", Whole: c.KvHeads),
                new AttributeValue("scale", Real: 1f / MathF.Sqrt(c.HeadDim)),
                new AttributeValue("do_rotary", Whole: 1),
                new AttributeValue("rotary_interleaved", Whole: 0));
            g.DeclareOutput(attention[1], OnnxDataType.Float, "batch_size", c.KvHeads, CapacityDim, c.HeadDim);
            g.DeclareOutput(attention[2], OnnxDataType.Float, "batch_size", c.KvHeads, CapacityDim, c.HeadDim);
            return LlamaBlocks.Projection(g, attention[0], $"{prefix}.o_proj.weight", w.Output, c.Heads * c.HeadDim, c.HiddenSize);
        });
        g.Output(logits, "logits", OnnxDataType.Float, "batch_size", "sequence_length", c.VocabSize);
        g.MoveOutputFirst("logits");
        return g.Build();
    }
}
