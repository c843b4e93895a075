using System.Text.Json;
using Rag.Llm.Bench;

// Usage: dotnet run -c Release --project bench/Llm -- [--quick] [--layout optimum|gqa] [--model DIR] [--batching]
// Prints one JSON object: prefill, decode with/without cache, engine overhead, roofline; with --batching, the
// continuous-batching figures instead (aggregate tokens/s by concurrency, step time, prefix cache, chunked prefill).
var quick = args.Contains("--quick");
var gqa = Option("--layout") == "gqa";
var folder = Option("--model") ?? BenchModel.EnsureSmolLm2(gqa);
var figures = args.Contains("--batching") ? Batching(folder, quick) : new DecodeBenchmark(folder, quick).Run();
Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));

static Dictionary<string, object> Batching(string folder, bool quick)
{
    using var session = Rag.Llm.Onnx.DecoderSession.Load(Rag.Llm.Loading.ModelFolder.Open(folder), Rag.Llm.Onnx.ExecutionPlan.From("cpu", 0));
    var figures = new Dictionary<string, object> { ["model"] = folder, ["layout"] = session.Layout.Kv.ToString(), ["mode"] = quick ? "quick" : "full" };
    new BatchingBenchmark(session, Rag.Tokenizers.HfTokenizer.Load(folder), quick).Run(figures);
    return figures;
}

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
