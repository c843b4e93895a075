using System.Text.Json;
using Rag.Llm.Bench;

// Usage: dotnet run -c Release --project bench/Llm -- [--quick] [--model DIR]
// Prints one JSON object: prefill, decode with/without cache, engine overhead, roofline.
var quick = args.Contains("--quick");
var modelIndex = Array.IndexOf(args, "--model");
var folder = modelIndex >= 0 && modelIndex + 1 < args.Length ? args[modelIndex + 1] : BenchModel.EnsureSmolLm2();
var figures = new DecodeBenchmark(folder, quick).Run();
Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
