using Rag.ModelForge.Onnx;
using Rag.ModelForge.Tokenizer;

namespace Rag.ModelForge.Encoder;

/// <summary>
/// Writes a cross-encoder folder as the hub has one (cross-encoder/ms-marco-MiniLM-L-6-v2 after an Optimum export):
/// onnx/model.onnx, the BERT tokenizer files and config.json naming BertForSequenceClassification — no
/// sentence-transformers modules, since a cross-encoder scores a (query, passage) pair instead of embedding a text.
/// </summary>
public static class CrossEncoderForge
{
    /// <summary>The vocabulary and weights for <paramref name="options"/>: what both the ONNX graph and the managed reference use.</summary>
    public static (WordPieceVocabulary Vocabulary, EncoderWeights Encoder, ClassifierWeights Head) Create(CrossEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (vocabulary, encoder) = EncoderForge.Create(options.Encoder);
        return (vocabulary, encoder, ClassifierWeights.Generate(encoder.Config.HiddenSize, options.Labels, options.Seed));
    }

    public static void Build(CrossEncoderOptions options, string directory)
    {
        var (vocabulary, encoder, head) = Create(options);
        var c = encoder.Config;
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        OnnxModelWriter.Write(CrossEncoderGraph.Build(encoder, head), Path.Combine(directory, "onnx", "model.onnx"), options.ForceExternalData);
        WordPieceFiles.Write(directory, vocabulary, c.MaxPositions);
        JsonFile.Write(Path.Combine(directory, "config.json"), EncoderForge.BertConfig(c, vocabulary, "BertForSequenceClassification", head.Labels));
    }
}
