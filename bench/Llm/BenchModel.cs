using Rag.ModelForge.Decoder;

namespace Rag.Llm.Bench;

/// <summary>The smollm2-135m-shaped forge model (random weights, real tensor sizes), written once and reused.</summary>
internal static class BenchModel
{
    public static string EnsureSmolLm2(bool gqa)
    {
        var directory = Path.Combine(Path.GetTempPath(), gqa ? "rag-bench-smollm2-135m-gqa" : "rag-bench-smollm2-135m");
        if (!File.Exists(Path.Combine(directory, "config.json")))
        {
            Console.Error.WriteLine($"Forging smollm2-135m into {directory} …");
            DecoderForge.Build(new DecoderOptions(Preset: "smollm2-135m", Layout: gqa ? DecoderLayout.Gqa : DecoderLayout.Optimum), directory);
        }
        return directory;
    }
}
