namespace Rag.ModelForge.Encoder;

/// <summary>
/// What to forge: a Hugging Face cross-encoder folder (BertForSequenceClassification) whose encoder has the weights
/// <see cref="EncoderForge"/> gives the same preset and seed, plus a pooler and a classifier with <see cref="Labels"/> outputs.
/// </summary>
public sealed record CrossEncoderOptions(
    string Preset = Presets.Tiny,
    ulong Seed = 1,
    int Labels = 1,
    bool ForceExternalData = false,
    string? TrainingText = null)
{
    /// <summary>The sentence-embedding options whose encoder this cross-encoder shares.</summary>
    public EncoderOptions Encoder => new(Preset, Seed, ForceExternalData: ForceExternalData, TrainingText: TrainingText);
}
