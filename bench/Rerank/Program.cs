using System.Diagnostics;
using System.Text.Json;
using Rag.Embedding.Reranking;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Tokenizer;

// Usage: dotnet run -c Release --project bench/Rerank -- [--model <cross-encoder folder>] [--budgets 1,512,1024,8192] [--candidates 20,50]
// Prints one JSON object: for each number of candidates a search hands the reranker, the median time to score them
// and pairs/s at each token budget (Reranker:MaxBatchTokens), every budget measured in the same run. Without --model it
// forges (once, into $TMPDIR/rag-bench-cross-encoder-minilm-l6) a MiniLM-L6-shaped cross-encoder with random weights.
var model = Option("--model") ?? Forged();
var budgets = Numbers(Option("--budgets") ?? "1,512,1024,8192");
var candidateCounts = Numbers(Option("--candidates") ?? "20,50");
const string Query = "How long should the soup boil before serving?";
const int Repeats = 7;

var words = Corpus.BuiltIn.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
var random = new Random(7);
var rerankers = budgets.Select(b => (Budget: b, Model: OnnxReranker.Load(new RerankerOptions { ModelPath = model, MaxBatchTokens = b }))).ToArray();
var figures = new Dictionary<string, object> { ["model"] = rerankers[0].Model.ModelId, ["repeats"] = Repeats };
foreach (var count in candidateCounts)
{
    // Passages the length of the default chunks (80–140 words).
    var passages = Enumerable.Range(0, count).Select(_ => Passage(random.Next(80, 140))).ToArray();
    figures[$"tokens_per_pair_{count}"] = passages.Sum(p => rerankers[0].Model.Encode(Query, p).Length) / count;
    // Budgets take turns within each repeat, so a change in the machine's load hits them all alike.
    var times = rerankers.ToDictionary(r => r.Budget, _ => new List<double>());
    foreach (var (_, reranker) in rerankers)
    {
        await reranker.ScoreAsync(Query, passages, default);
    }
    for (var repeat = 0; repeat < Repeats; repeat++)
    {
        foreach (var (budget, reranker) in rerankers)
        {
            var clock = Stopwatch.StartNew();
            await reranker.ScoreAsync(Query, passages, default);
            times[budget].Add(clock.Elapsed.TotalMilliseconds);
        }
    }
    foreach (var (budget, measured) in times)
    {
        measured.Sort();
        var median = measured[Repeats / 2];
        figures[$"candidates_{count}_budget_{budget}_median_ms"] = Math.Round(median, 1);
        figures[$"candidates_{count}_budget_{budget}_pairs_per_second"] = Math.Round(count / median * 1000, 1);
    }
}
foreach (var (_, reranker) in rerankers)
{
    reranker.Dispose();
}
Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));

string Passage(int length)
{
    var start = random.Next(words.Length - length);
    return string.Join(' ', words, start, length);
}

static string Forged()
{
    var folder = Path.Combine(Path.GetTempPath(), "rag-bench-cross-encoder-minilm-l6");
    if (!Directory.Exists(folder))
    {
        CrossEncoderForge.Build(new CrossEncoderOptions(Preset: "minilm-l6"), folder);
    }
    return folder;
}

static int[] Numbers(string list) => [.. list.Split(',').Select(int.Parse)];

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
