namespace Rag.ModelForge.Decoder;

/// <summary>Which exporter's graph signature to reproduce.</summary>
public enum DecoderLayout
{
    /// <summary>Optimum / transformers.js: explicit position_ids, past grows by concatenation each step.</summary>
    Optimum,

    /// <summary>ONNX Runtime GenAI: com.microsoft.GroupQueryAttention with fixed-capacity past/present sharing one buffer.</summary>
    Gqa,
}
