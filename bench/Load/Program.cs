using Rag.Load.Bench;

// Load check of a running service over loopback: N concurrent streaming /ask clients (N = 1, 4, 16 by default).
// Prints one JSON object. Usage: dotnet run -c Release --project bench/Load -- [--url http://127.0.0.1:8080] [--levels 1,4,16] [--requests 8] [--key KEY]
var options = LoadOptions.Parse(args);
using var client = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(5) };
if (options.ApiKey is not null)
{
    client.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
}
await Seed.UploadAsync(client, options.Collection);
var results = new List<LevelResult>();
foreach (var concurrency in options.Levels)
{
    results.Add(await LoadLevel.RunAsync(client, options.Collection, concurrency, options.RequestsPerClient));
}
Console.WriteLine(Report.ToJson(options, results));
return results.Sum(r => r.Errors) == 0 ? 0 : 1;
