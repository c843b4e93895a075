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

    public static OnnxGraph Build(DecoderWeights weights, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new DecoderOptions();
        var c = weights.Config;
        var g = new GraphBuilder("llama_gqa");
        var ids = DecoderIo.IdInput(g, options, "input_ids", "batch_size", "sequence_length");
        var mask = DecoderIo.IdInput(g, options, "attention_mask", "batch_size", "total_sequence_length");
        // GroupQueryAttention takes one type T for q, k, v, past, present and the rotary caches: with a float16
        // cache the attention itself runs in float16, as in GenAI's fp16 exports.
        var kv = options.KvType;
        var past = DecoderIo.PastInputs(g, c, options, CapacityDim);

        // seqlens_k [batch] int32 = tokens in the mask − 1; total_sequence_length scalar int32 = mask width.
        var seqLensK = g.Cast(g.Op("Sub", g.Op("ReduceSum", [mask, g.Int64s(1)], new AttributeValue("keepdims", Whole: 0)), g.ScalarInt64(1)), OnnxDataType.Int32);
        var totalLength = g.Cast(g.Op("Squeeze", g.Dimension(mask, 1), g.Int64s(0)), OnnxDataType.Int32);
        var (cosTable, sinTable) = Rotary.Tables(c);
        var cos = DecoderIo.As(g, g.Weight("cos_cache", cosTable, c.MaxPositions, c.HeadDim / 2), kv);
        var sin = DecoderIo.As(g, g.Weight("sin_cache", sinTable, c.MaxPositions, c.HeadDim / 2), kv);

        var logits = LlamaBlocks.Body(g, weights, ids, (x, l) =>
        {
            var w = weights.Layers[l];
            var prefix = $"model.layers.{l}.self_attn";
            var q = DecoderIo.As(g, LlamaBlocks.Projection(g, x, $"{prefix}.q_proj.weight", w.Query, c.HiddenSize, c.Heads * c.HeadDim), kv);
            var k = DecoderIo.As(g, LlamaBlocks.Projection(g, x, $"{prefix}.k_proj.weight", w.Key, c.HiddenSize, c.KvHeads * c.HeadDim), kv);
            var v = DecoderIo.As(g, LlamaBlocks.Projection(g, x, $"{prefix}.v_proj.weight", w.Value, c.HiddenSize, c.KvHeads * c.HeadDim), kv);
            var attention = g.Node("GroupQueryAttention", [q, k, v, past[l].Key, past[l].Value, seqLensK, totalLength, cos, sin],
                [$"{prefix}.output", $"present.{l}.key", $"present.{l}.value"],
                GraphBuilder.MicrosoftDomain,
                new AttributeValue("num_heads", Whole: c.Heads),
                new AttributeValue("kv_num_heads", Whole: c.KvHeads),
                new AttributeValue("scale", Real: 1f / MathF.Sqrt(c.HeadDim)),
                new AttributeValue("do_rotary", Whole: 1),
                new AttributeValue("rotary_interleaved", Whole: 0));
            g.DeclareOutput(attention[1], kv, "batch_size", c.KvHeads, CapacityDim, c.HeadDim);
            g.DeclareOutput(attention[2], kv, "batch_size", c.KvHeads, CapacityDim, c.HeadDim);
            return LlamaBlocks.Projection(g, DecoderIo.ToFloat(g, attention[0], kv), $"{prefix}.o_proj.weight", w.Output, c.Heads * c.HeadDim, c.HiddenSize);
        });
        DecoderIo.Output(g, logits, "logits", options.LogitsType, "batch_size", "sequence_length", c.VocabSize);
        g.MoveOutputFirst("logits");
        return g.Build();
    }
}
