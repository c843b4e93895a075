using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Decoder;

/// <summary>The parts of a Llama graph both layouts share: embedding, RMSNorm, SwiGLU MLP, LM head.</summary>
internal static class LlamaBlocks
{
    public static string Embed(GraphBuilder g, DecoderWeights w, string inputIds) =>
        g.Op("Gather", g.Weight("model.embed_tokens.weight", w.Embedding, w.Config.VocabSize, w.Config.HiddenSize), inputIds);

    /// <summary>x / sqrt(mean(x²) + eps) · weight, over the last axis.</summary>
    public static string RmsNorm(GraphBuilder g, string x, string name, float[] weight, DecoderConfig c)
    {
        var meanSquare = g.Op("ReduceMean", [g.Mul(x, x)], new AttributeValue("axes", Wholes: [-1]), new AttributeValue("keepdims", Whole: 1));
        var rms = g.Op("Sqrt", g.Add(meanSquare, g.Scalar(c.RmsNormEps)));
        return g.Mul(g.Op("Div", x, rms), g.Weight(name, weight, c.HiddenSize));
    }

    /// <summary>down(silu(gate(x)) · up(x)).</summary>
    public static string Mlp(GraphBuilder g, string x, DecoderLayerWeights w, string prefix, DecoderConfig c)
    {
        var gate = g.MatMul(x, g.Weight($"{prefix}.mlp.gate_proj.weight", w.Gate, c.HiddenSize, c.IntermediateSize));
        var up = g.MatMul(x, g.Weight($"{prefix}.mlp.up_proj.weight", w.Up, c.HiddenSize, c.IntermediateSize));
        var silu = g.Mul(gate, g.Op("Sigmoid", gate));
        return g.MatMul(g.Mul(silu, up), g.Weight($"{prefix}.mlp.down_proj.weight", w.Down, c.IntermediateSize, c.HiddenSize));
    }

    /// <summary>Runs every layer with the layout's attention, then the final norm and the LM head: returns logits.</summary>
    public static string Body(GraphBuilder g, DecoderWeights w, string inputIds, Func<string, int, string> attention)
    {
        var c = w.Config;
        var x = Embed(g, w, inputIds);
        for (var l = 0; l < c.Layers; l++)
        {
            var prefix = $"model.layers.{l}";
            var layer = w.Layers[l];
            x = g.Add(x, attention(RmsNorm(g, x, $"{prefix}.input_layernorm.weight", layer.InputNorm, c), l));
            x = g.Add(x, Mlp(g, RmsNorm(g, x, $"{prefix}.post_attention_layernorm.weight", layer.PostAttentionNorm, c), layer, prefix, c));
        }
        x = RmsNorm(g, x, "model.norm.weight", w.FinalNorm, c);
        // A tied head multiplies by the embedding's transpose; ONNX Runtime folds the Transpose once at load.
        var head = w.LmHead is { } lmHead
            ? g.Weight("lm_head.weight", lmHead, c.HiddenSize, c.VocabSize)
            : g.Transpose("model.embed_tokens.weight", 1, 0);
        var logits = g.MatMul(x, head);
        return w.LmHeadBias is { } bias ? g.Add(logits, g.Weight("lm_head.bias", bias, c.VocabSize)) : logits;
    }

    public static string Projection(GraphBuilder g, string x, string name, float[] weight, int fanIn, int fanOut) =>
        g.MatMul(x, g.Weight(name, weight, fanIn, fanOut));
}
