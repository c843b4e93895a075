using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Decoder;

/// <summary>
/// The graph edges whose declared types <see cref="DecoderOptions"/> chooses: inputs and outputs are declared in
/// that type and cast to/from the float32 / int64 the graph computes in.
/// </summary>
internal static class DecoderIo
{
    /// <summary>Declares an id-typed input (input_ids, attention_mask, position_ids) and returns it as int64.</summary>
    public static string IdInput(GraphBuilder g, DecoderOptions options, string name, params Axis[] shape)
    {
        var input = g.Input(name, options.IdType, shape);
        return options.IdType == OnnxDataType.Int64 ? input : g.Cast(input, OnnxDataType.Int64);
    }

    /// <summary>Declares past_key_values.{i}.key/.value [batch_size, kv_heads, <paramref name="lengthDim"/>, head_dim]
    /// for every layer, in the options' KV type (not cast: the caller decides where float32 begins).</summary>
    public static (string Key, string Value)[] PastInputs(GraphBuilder g, DecoderConfig c, DecoderOptions options, string lengthDim) =>
        Enumerable.Range(0, c.Layers).Select(l => (
            g.Input($"past_key_values.{l}.key", options.KvType, "batch_size", c.KvHeads, lengthDim, c.HeadDim),
            g.Input($"past_key_values.{l}.value", options.KvType, "batch_size", c.KvHeads, lengthDim, c.HeadDim))).ToArray();

    /// <summary><paramref name="value"/> (float32) cast to <paramref name="type"/> when that differs.</summary>
    public static string As(GraphBuilder g, string value, OnnxDataType type) =>
        type == OnnxDataType.Float ? value : g.Cast(value, type);

    /// <summary>A float output declared as <paramref name="type"/>, cast from the float32 <paramref name="value"/>.</summary>
    public static void Output(GraphBuilder g, string value, string name, OnnxDataType type, params Axis[] shape) =>
        g.Output(As(g, value, type), name, type, shape);

    /// <summary>A float input of <paramref name="type"/> as float32.</summary>
    public static string ToFloat(GraphBuilder g, string value, OnnxDataType type) =>
        type == OnnxDataType.Float ? value : g.Cast(value, OnnxDataType.Float);
}
