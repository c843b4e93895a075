using Rag.Llm.Loading;
using Rag.Llm.Onnx;

namespace Rag.Llm.Engine;

/// <summary>The default Llm:KvCacheBytes: half of the memory the process may use once the weights are counted (twice:
/// the file and ONNX Runtime's prepacked copy), at least one full-context sequence and never more than the batch
/// could use at the full context. Under CUDA the same figure stands in for device memory, which is not queried.</summary>
public static class KvBudget
{
    public static long Default(ModelFolder folder, DecoderLayout layout, int contextLength, int maxSequences)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(layout);
        var weights = WeightBytes(folder.DecoderPath);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var perSequence = layout.NumLayers * 2L * layout.BytesPerPosition * contextLength;
        // The concat layout holds two copies of the batch (past and present).
        var full = perSequence * maxSequences * (layout.Kv == KvLayout.Concat ? 2 : 1);
        return Math.Clamp((available - (2 * weights)) / 2, perSequence, Math.Max(perSequence, full));
    }

    private static long WeightBytes(string decoderPath)
    {
        var graph = new FileInfo(decoderPath);
        long bytes = graph.Exists ? graph.Length : 0;
        // External data sits beside the graph as <name>_data or <name>.data.
        foreach (var data in new[] { decoderPath + "_data", decoderPath + ".data" })
        {
            if (File.Exists(data))
            {
                bytes += new FileInfo(data).Length;
            }
        }
        return bytes;
    }
}
