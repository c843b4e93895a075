using System.Globalization;
using System.Text.Json;
using Rag.Llm.Bench;
using Rag.Llm.Loading;
using Rag.Llm.Onnx;
using Rag.Tokenizers;

// Usage: dotnet run -c Release --project bench/Llm -- [--quick] [--layout optimum|gqa] [--model DIR]
//            [--batching | --ttft [--url URL] [--prompt-tokens N] | --forge]
// Prints one JSON object: prefill, decode with/without cache, engine overhead, roofline; with --batching, the
// continuous-batching figures instead (aggregate tokens/s by concurrency, step time, prefix cache, chunked prefill);
// with --ttft, one request's time to first token against a bare prefill Run (and over HTTP, given a service's URL);
// --forge only forges the model and prints its folder (bench/Llm/ttft-http.sh serves it).
var quick = args.Contains("--quick");
var gqa = Option("--layout") == "gqa";
var folder = Option("--model") ?? BenchModel.EnsureSmolLm2(gqa);
if (args.Contains("--forge"))
{
    Console.WriteLine(folder);
    return;
}
var figures = args.Contains("--batching") ? WithSession(folder, quick, (session, tokenizer, figures) =>
        new BatchingBenchmark(session, tokenizer, quick).Run(figures))
    : args.Contains("--ttft") ? WithSession(folder, quick, (session, tokenizer, figures) =>
        new TtftBenchmark(session, tokenizer, Option("--url") is { } url ? new Uri(url) : null,
            int.Parse(Option("--prompt-tokens") ?? "650", CultureInfo.InvariantCulture), quick ? 3 : 7).Run(figures))
    : new DecodeBenchmark(folder, quick).Run();
Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));

static Dictionary<string, object> WithSession(string folder, bool quick, Action<DecoderSession, HfTokenizer, Dictionary<string, object>> run)
{
    using var session = DecoderSession.Load(ModelFolder.Open(folder), ExecutionPlan.From("cpu", 0));
    var figures = new Dictionary<string, object> { ["model"] = folder, ["layout"] = session.Layout.Kv.ToString(), ["mode"] = quick ? "quick" : "full" };
    run(session, HfTokenizer.Load(folder), figures);
    return figures;
}

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
