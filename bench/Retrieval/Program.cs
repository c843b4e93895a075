using System.Text.Json;
using Rag.Embedding;
using Rag.ModelForge.Encoder;
using Rag.Retrieval.Bench;

// Usage: RAG_PG_PORT=5434 dotnet run -c Release --project bench/Retrieval -- [--connection <npgsql>] [--model <sentence-transformers folder>]
//        [--chunks 10000] [--chunk-words 40] [--vectors 100000] [--queries 200] [--exact-queries 30]
// Without --model it forges an all-MiniLM-L6-v2-shaped encoder (random weights, real tensor sizes) once and reuses it.
var arguments = BenchArguments.Parse(args);
using var generator = OnnxEmbeddingGenerator.Load(new EmbeddingOptions { ModelPath = arguments.Model ?? ForgedMiniLm() });

var ingest = await IngestBench.RunAsync(arguments, generator, arguments.Connection);
var search = await SearchBench.RunAsync(arguments, generator, arguments.Connection);
Console.WriteLine(JsonSerializer.Serialize(new { embedding_model = generator.ModelId, ingest, search }));

static string ForgedMiniLm()
{
    var folder = Path.Combine(Path.GetTempPath(), "rag-bench-retrieval-minilm-l6");
    if (!File.Exists(Path.Combine(folder, "modules.json")))
    {
        EncoderForge.Build(new EncoderOptions(Preset: "minilm-l6"), folder);
    }
    return folder;
}
