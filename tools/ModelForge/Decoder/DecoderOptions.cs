using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Decoder;

/// <summary>
/// What to forge. <see cref="TieWordEmbeddings"/> null keeps the preset's choice; <see cref="TrainingText"/> null
/// learns the tokenizer from the built-in English text. <see cref="KvType"/> (past_key_values.* / present.*) and
/// <see cref="LogitsType"/> may be <see cref="OnnxDataType.Float16"/> and <see cref="IdType"/> (input_ids,
/// attention_mask, position_ids) <see cref="OnnxDataType.Int32"/>, as some exporters declare them; the math
/// inside stays float32 and int64 with Casts at the edges, so only the signature and the IO rounding change.
/// <see cref="Merged"/> writes Optimum's merged decoder: a use_cache_branch input choosing, through an If, between
/// the with-past and the without-past graph. <see cref="WordBias"/> adds the LM-head bias that makes greedy answers
/// visible words (DemoLogitBias); null keeps the preset's choice (on for the demo preset only).
/// </summary>
public sealed record DecoderOptions(
    string Preset = Presets.Tiny,
    ulong Seed = 1,
    DecoderLayout Layout = DecoderLayout.Optimum,
    bool? TieWordEmbeddings = null,
    bool ForceExternalData = false,
    string? TrainingText = null,
    OnnxDataType KvType = OnnxDataType.Float,
    OnnxDataType LogitsType = OnnxDataType.Float,
    OnnxDataType IdType = OnnxDataType.Int64,
    bool Merged = false,
    bool? WordBias = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> for IO types no exporter writes.</summary>
    public void Validate()
    {
        if (KvType is not (OnnxDataType.Float or OnnxDataType.Float16))
        {
            throw new ArgumentException($"The KV cache type must be float32 or float16, not {KvType}.");
        }
        if (LogitsType is not (OnnxDataType.Float or OnnxDataType.Float16))
        {
            throw new ArgumentException($"The logits type must be float32 or float16, not {LogitsType}.");
        }
        if (IdType is not (OnnxDataType.Int64 or OnnxDataType.Int32))
        {
            throw new ArgumentException($"The id type must be int64 or int32, not {IdType}.");
        }
        if (Merged && Layout != DecoderLayout.Optimum)
        {
            throw new ArgumentException("Only the Optimum layout has a merged (use_cache_branch) form.");
        }
    }
}
