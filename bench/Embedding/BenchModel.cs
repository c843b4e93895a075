using Rag.ModelForge.Encoder;

namespace Rag.Embedding.Bench;

internal static class BenchModel
{
    /// <summary>
    /// A forged all-MiniLM-L6-v2-shaped folder (6 layers, hidden 384, 12 heads, vocabulary 30522, mean pooling,
    /// Normalize) under the temp directory, built on first use; max_seq_length 512 so 300-token texts are not cut.
    /// </summary>
    public static string ForgedMiniLm()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rag-bench-minilm-l6");
        if (!File.Exists(Path.Combine(folder, "modules.json")))
        {
            EncoderForge.Build(new EncoderOptions(Preset: "minilm-l6", MaxSequenceLength: 512), folder);
        }
        return folder;
    }
}
