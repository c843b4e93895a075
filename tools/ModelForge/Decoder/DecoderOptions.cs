namespace Rag.ModelForge.Decoder;

/// <summary>What to forge. <see cref="TieWordEmbeddings"/> null keeps the preset's choice.</summary>
public sealed record DecoderOptions(
    string Preset = Presets.Tiny,
    ulong Seed = 1,
    DecoderLayout Layout = DecoderLayout.Optimum,
    bool? TieWordEmbeddings = null,
    bool ForceExternalData = false);
