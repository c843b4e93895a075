using System.Text.Json;

namespace Rag.Eval.Tests;

/// <summary><c>rag eval</c> against the real service over HTTP: what it reports must be what the service retrieved.</summary>
public sealed class EvalEndToEndTests(EvalServer server) : IClassFixture<EvalServer>, IDisposable
{
    private static readonly string[] Modes = ["vector", "hybrid", "reranked"];

    private static readonly string[] SearchStages = ["embed", "search_vector", "search_hybrid", "rerank", "http_vector", "http_hybrid", "http_reranked"];

    private readonly string folder = Directory.CreateTempSubdirectory("rag-eval-").FullName;

    private const string Golden = """
        {"id": "cat", "question": "Where does the cat like to sit and sleep?", "expected": ["cats.txt"], "facts": ["mat"], "tags": ["animals"]}
        {"id": "weather", "question": "Will the rain and wind stop tomorrow?", "expected": ["weather.txt"]}
        {"id": "absent", "question": "How do I cook a soup with onions and carrots?", "expected": ["no-such-page.html"]}
        """;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private Task<(int Code, string Output, string Error, JsonElement? Report)> RunAsync(params string[] extra) => RunWithKeyAsync(EvalServer.ApiKey, extra);

    private async Task<(int Code, string Output, string Error, JsonElement? Report)> RunWithKeyAsync(string key, string[] extra)
    {
        var golden = Path.Combine(folder, "golden.jsonl");
        var json = Path.Combine(folder, "report.json");
        await File.WriteAllTextAsync(golden, Golden);
        File.Delete(json);
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["--url", server.BaseAddress.ToString(), "--key", key, "--golden", golden, "--json", json, .. extra];
        var code = await EvalCommand.RunAsync(args, output, error, CancellationToken.None);
        JsonElement? report = File.Exists(json) ? JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.Clone() : null;
        return (code, output.ToString(), error.ToString(), report);
    }

    private static int? Rank(JsonElement report, string id, string mode)
    {
        var question = report.GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("id").GetString() == id);
        var rank = question.GetProperty("ranks").GetProperty(mode);
        return rank.ValueKind == JsonValueKind.Null ? null : rank.GetInt32();
    }

    [Fact]
    public async Task Eval_reports_the_ranks_the_service_returned_in_every_mode_with_stage_latencies()
    {
        var (code, output, error, json) = await RunAsync("--collection", EvalServer.Collection, "--answers", "off");

        Assert.True(code == 0, error);
        var report = json!.Value;
        // The lexical encoder puts the page sharing the question's words first; the page nobody uploaded is never found.
        Assert.Equal(1, Rank(report, "cat", "vector"));
        Assert.Equal(1, Rank(report, "weather", "hybrid"));
        Assert.NotNull(Rank(report, "cat", "reranked"));
        Assert.All(Modes, mode => Assert.Null(Rank(report, "absent", mode)));
        var vector = report.GetProperty("retrieval").GetProperty("vector");
        Assert.Equal(3, vector.GetProperty("questions").GetInt32());
        Assert.Equal(2.0 / 3, vector.GetProperty("hit_at_1").GetDouble(), 9);
        Assert.Equal(2.0 / 3, vector.GetProperty("mrr_at_10").GetDouble(), 9);
        Assert.Equal(1, report.GetProperty("retrieval_by_tag").GetProperty("animals").GetProperty("vector").GetProperty("questions").GetInt32());
        var latency = report.GetProperty("latency");
        foreach (var stage in SearchStages)
        {
            Assert.True(latency.GetProperty(stage).GetProperty("p50_ms").GetDouble() > 0, stage);
        }
        Assert.Equal(9, latency.GetProperty("embed").GetProperty("samples").GetInt32());
        Assert.False(latency.TryGetProperty("prefill", out _));
        Assert.False(report.TryGetProperty("answers", out _));
        Assert.Contains("reranked", output, StringComparison.Ordinal);
        Assert.Contains("MRR@10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_are_scored_when_asked_for_with_prefill_and_decode_times()
    {
        var (code, _, error, json) = await RunAsync(
            "--collection", EvalServer.Collection, "--modes", "vector", "--answers", "on", "--answer-mode", "vector", "--answer-max-tokens", "4");

        Assert.True(code == 0, error);
        var report = json!.Value;
        var answers = report.GetProperty("answers");
        Assert.Equal("vector", answers.GetProperty("mode").GetString());
        Assert.Equal(3, answers.GetProperty("summary").GetProperty("questions").GetInt32());
        Assert.Equal(3, report.GetProperty("latency").GetProperty("prefill").GetProperty("samples").GetInt32());
        Assert.Equal(3, report.GetProperty("latency").GetProperty("decode").GetProperty("samples").GetInt32());
        Assert.All(report.GetProperty("questions").EnumerateArray(), q => Assert.Equal(JsonValueKind.Object, q.GetProperty("answer").ValueKind));
        Assert.False(report.GetProperty("retrieval").TryGetProperty("hybrid", out _));
    }

    [Fact]
    public async Task An_unknown_collection_fails_the_run_with_the_services_answer()
    {
        var (code, _, error, json) = await RunAsync("--collection", "nowhere", "--answers", "off");

        Assert.Equal(1, code);
        Assert.Contains("404", error, StringComparison.Ordinal);
        Assert.Null(json);
    }

    [Fact]
    public async Task A_wrong_key_fails_the_run()
    {
        var (code, _, error, _) = await RunWithKeyAsync("wrong", ["--collection", EvalServer.Collection]);

        Assert.Equal(1, code);
        Assert.Contains("401", error, StringComparison.Ordinal);
    }
}
