using System.Text.Json;
using Rag.Llm.Bench;

// Usage: dotnet run -c Release --project bench/Llm -- [--quick] [--layout optimum|gqa] [--model DIR]
// Prints one JSON object: prefill, decode with/without cache, engine overhead, roofline.
var quick = args.Contains("--quick");
var gqa = Option("--layout") == "gqa";
var folder = Option("--model") ?? BenchModel.EnsureSmolLm2(gqa);
var figures = new DecodeBenchmark(folder, quick).Run();
Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
