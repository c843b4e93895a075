namespace Rag.ModelForge.Encoder;

/// <summary>What to forge: a sentence-transformers folder around a BERT encoder (vocabulary from <see cref="TrainingText"/> or the built-in text).</summary>
public sealed record EncoderOptions(
    string Preset = Presets.Tiny,
    ulong Seed = 1,
    Pooling Pooling = Pooling.Mean,
    bool Normalize = true,
    bool Lexical = false,
    bool ForceExternalData = false,
    int MaxSequenceLength = 256,
    string? TrainingText = null);
