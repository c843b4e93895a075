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

    public const string UseCacheBranch = "use_cache_branch";

    public static OnnxGraph Build(DecoderWeights weights, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new DecoderOptions();
        var c = weights.Config;
        var g = new GraphBuilder("llama");
        var inputs = new Inputs(
            DecoderIo.IdInput(g, options, "input_ids", "batch_size", "sequence_length"),
            DecoderIo.IdInput(g, options, "attention_mask", "batch_size", "total_sequence_length"),
            DecoderIo.IdInput(g, options, "position_ids", "batch_size", "sequence_length"),
            DecoderIo.PastInputs(g, c, options, "past_sequence_length"));
        if (!options.Merged)
        {
            Decode(g, weights, options, inputs, withPast: true, name => name);
            return g.Build();
        }

        // Optimum's merged decoder: one If on use_cache_branch whose branches are the with-past and the
        // without-past decoders over the same weights; the without-past branch never reads past_key_values.
        var useCache = g.Input(UseCacheBranch, OnnxDataType.Bool, 1);
        var withPast = g.Branch("with_past");
        Decode(withPast, weights, options, inputs, withPast: true, name => $"with_past.{name}");
        var withoutPast = g.Branch("without_past");
        Decode(withoutPast, weights, options, inputs, withPast: false, name => $"without_past.{name}");
        var outputs = withPast.Build().Outputs;
        g.Node("If", [useCache], outputs.Select(o => o.Name["with_past.".Length..]).ToArray(), "",
            new AttributeValue("then_branch", Graph: withPast.Build()),
            new AttributeValue("else_branch", Graph: withoutPast.Build()));
        foreach (var output in outputs)
        {
            g.DeclareOutput(output.Name["with_past.".Length..], output.Type, [.. output.Shape]);
        }
        return g.Build();
    }

    private sealed record Inputs(string Ids, string Mask, string Positions, (string Key, string Value)[] Past);

    /// <summary>Writes the decoder into <paramref name="g"/> with outputs logits, present.{i}.key/.value (in that
    /// order, named through <paramref name="name"/>); without past, present holds only this step's keys and values.</summary>
    private static void Decode(GraphBuilder g, DecoderWeights weights, DecoderOptions options, Inputs inputs, bool withPast, Func<string, string> name)
    {
        var c = weights.Config;
        var scoreBias = ScoreBias(g, inputs.Ids, inputs.Mask);
        var (cosTable, sinTable) = Rotary.Tables(c);
        var cos = g.Op("Gather", g.Weight("rotary.cos", cosTable, c.MaxPositions, c.HeadDim / 2), inputs.Positions); // [batch, seq, half]
        var sin = g.Op("Gather", g.Weight("rotary.sin", sinTable, c.MaxPositions, c.HeadDim / 2), inputs.Positions);
        var keyRotation = (g.Unsqueeze(cos, 1), g.Unsqueeze(sin, 1)); // [batch, 1, seq, half]
        var queryRotation = (g.Unsqueeze(cos, 1, 2), g.Unsqueeze(sin, 1, 2)); // [batch, 1, 1, seq, half]

        var logits = LlamaBlocks.Body(g, weights, inputs.Ids, (x, l) =>
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

            // [batch, kv_heads, past+seq, head_dim]
            var presentKey = withPast ? g.Concat(2, DecoderIo.ToFloat(g, inputs.Past[l].Key, options.KvType), k) : k;
            var presentValue = withPast ? g.Concat(2, DecoderIo.ToFloat(g, inputs.Past[l].Value, options.KvType), v) : v;
            DecoderIo.Output(g, presentKey, name($"present.{l}.key"), options.KvType, "batch_size", c.KvHeads, "total_sequence_length", c.HeadDim);
            DecoderIo.Output(g, presentValue, name($"present.{l}.value"), options.KvType, "batch_size", c.KvHeads, "total_sequence_length", c.HeadDim);

            var keysT = g.Transpose(g.Unsqueeze(presentKey, 2), 0, 1, 2, 4, 3); // [batch, kv_heads, 1, head_dim, total]
            var scores = g.Add(g.Mul(g.MatMul(q, keysT), g.Scalar(1f / MathF.Sqrt(c.HeadDim))), scoreBias); // [batch, kv, groups, seq, total]
            var context = g.MatMul(g.Softmax(scores), g.Unsqueeze(presentValue, 2)); // [batch, kv_heads, groups, seq, head_dim]
            var merged = g.Reshape(g.Transpose(context, 0, 3, 1, 2, 4), 0, 0, c.Heads * c.HeadDim);
            return LlamaBlocks.Projection(g, merged, $"{prefix}.o_proj.weight", w.Output, c.Heads * c.HeadDim, c.HiddenSize);
        });
        DecoderIo.Output(g, logits, name("logits"), options.LogitsType, "batch_size", "sequence_length", c.VocabSize);
        g.MoveOutputFirst(name("logits"));
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
