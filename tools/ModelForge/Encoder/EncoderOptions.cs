namespace Rag.ModelForge.Encoder;

/// <summary>What to forge: a sentence-transformers folder around a BERT encoder.</summary>
public sealed record EncoderOptions(
    string Preset = Presets.Tiny,
    ulong Seed = 1,
    Pooling Pooling = Pooling.Mean,
    bool Normalize = true,
    bool Lexical = false,
    bool ForceExternalData = false,
    int MaxSequenceLength = 256);
