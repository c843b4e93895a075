namespace Rag.ModelForge.Decoder;

/// <summary>
/// What to forge. <see cref="TieWordEmbeddings"/> null keeps the preset's choice; <see cref="TrainingText"/> null
/// learns the tokenizer from the built-in English text.
/// </summary>
public sealed record DecoderOptions(
    string Preset = Presets.Tiny,
    ulong Seed = 1,
    DecoderLayout Layout = DecoderLayout.Optimum,
    bool? TieWordEmbeddings = null,
    bool ForceExternalData = false,
    string? TrainingText = null);
