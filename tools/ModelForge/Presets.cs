using Rag.ModelForge.Decoder;
using Rag.ModelForge.Encoder;

namespace Rag.ModelForge;

/// <summary>
/// Named model shapes. <c>tiny</c> keeps tests fast (and its vocabulary is exactly the learned tokenizer's);
/// the others copy real checkpoints' shapes so benchmarks see real tensor sizes, with random weights.
/// </summary>
public static class Presets
{
    public const string Tiny = "tiny";

    /// <summary>
    /// The offline demo's decoder: tiny-sized weights, but a context long enough for retrieved sources; an untied LM
    /// head (a tied one makes an untrained model repeat its last token) with a bias towards words (<c>DemoLogitBias</c>).
    /// </summary>
    public const string Demo = "demo";

    public static IReadOnlyList<string> DecoderNames { get; } = [Tiny, Demo, "smollm2-135m", "qwen2.5-0.5b"];

    public static IReadOnlyList<string> EncoderNames { get; } = [Tiny, "minilm-l6"];

    /// <summary>The decoder shape; <paramref name="tokenizerSize"/> sets the tiny vocabulary.</summary>
    public static DecoderConfig Decoder(string preset, int tokenizerSize) => preset switch
    {
        Tiny => new DecoderConfig(tokenizerSize, HiddenSize: 64, IntermediateSize: 128, Layers: 2, Heads: 4, KvHeads: 2,
            MaxPositions: 256, RopeTheta: 10000f, RmsNormEps: 1e-6f, TieWordEmbeddings: true),
        Demo => new DecoderConfig(tokenizerSize, HiddenSize: 128, IntermediateSize: 256, Layers: 2, Heads: 4, KvHeads: 2,
            MaxPositions: 4096, RopeTheta: 10000f, RmsNormEps: 1e-6f, TieWordEmbeddings: false),
        "smollm2-135m" => new DecoderConfig(49152, HiddenSize: 576, IntermediateSize: 1536, Layers: 30, Heads: 9, KvHeads: 3,
            MaxPositions: 8192, RopeTheta: 100000f, RmsNormEps: 1e-5f, TieWordEmbeddings: true),
        "qwen2.5-0.5b" => new DecoderConfig(151936, HiddenSize: 896, IntermediateSize: 4864, Layers: 24, Heads: 14, KvHeads: 2,
            MaxPositions: 32768, RopeTheta: 1000000f, RmsNormEps: 1e-6f, TieWordEmbeddings: true),
        _ => throw new ArgumentException($"Unknown decoder preset '{preset}'. Known: {string.Join(", ", DecoderNames)}.", nameof(preset)),
    };

    /// <summary>How many BPE tokens (without the special ones) the tokenizer for this preset learns at most.</summary>
    public static int DecoderTokenizerTarget(string preset) => preset == Tiny ? 500 : 4000;

    /// <summary>The encoder shape; <paramref name="vocabularySize"/> sets the tiny vocabulary.</summary>
    public static EncoderConfig Encoder(string preset, int vocabularySize) => preset switch
    {
        Tiny => new EncoderConfig(vocabularySize, HiddenSize: 64, Layers: 2, Heads: 4, IntermediateSize: 128),
        "minilm-l6" => new EncoderConfig(30522, HiddenSize: 384, Layers: 6, Heads: 12, IntermediateSize: 1536),
        _ => throw new ArgumentException($"Unknown encoder preset '{preset}'. Known: {string.Join(", ", EncoderNames)}.", nameof(preset)),
    };

    /// <summary>The vocabulary size a preset pads its WordPiece vocabulary to, or null to keep the learned size.</summary>
    public static int? EncoderVocabularySize(string preset) => preset == Tiny ? null : Encoder(preset, 0).VocabSize;
}
