using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Onnx;
using Rag.Llm.Serving;
using Rag.Tokenizers;

namespace Rag.Llm.Bench;

/// <summary>Where one request's time to first token goes: a bare prefill Run of the prompt, the engine's time to first
/// token for prompts of the same length with the service's default settings and with the whole prompt in one Run, and,
/// given the URL of a service running the same model, the round trip of <c>/v1/completions</c> with one new token.
/// Every request's prompt is new, so no prefix-cache hit flatters the engine.</summary>
internal sealed class TtftBenchmark(DecoderSession session, HfTokenizer tokenizer, Uri? service, int promptTokens, int repeats)
{
    private const int Context = 4096;
    private readonly int _vocab = session.VocabSize;
    private readonly string _run = Guid.NewGuid().ToString("N");

    public void Run(Dictionary<string, object> figures)
    {
        using var client = service is null ? null : new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromMinutes(2) };
        // The service's prompt holds what its tokenizer made of the text: time everything else on exactly that length.
        var tokens = client is null ? promptTokens : Complete(client, 0).PromptTokens;
        var defaults = new LlmOptions();
        var kvBytes = EngineSetup.KvBytes(session, 1, Context);
        using var metrics = new LlmMetrics();
        using var defaultEngine = new EngineLoop(session, new EngineSettings(1, kvBytes, Context, MaxQueued: 1, defaults.PrefillChunkTokens,
            PrefixCacheBytes: kvBytes / 4, defaults.PrefixBlockTokens), metrics);
        using var oneRunEngine = new EngineLoop(session, EngineSetup.Settings(session, 1, Context), metrics);
        var byDefault = new Generator(defaultEngine, tokenizer, [], Context, _vocab, metrics);
        var oneRun = new Generator(oneRunEngine, tokenizer, [], Context, _vocab, metrics);
        using var bare = new BareRun(session, past: 0, tokens);
        BenchRequests.Generate(byDefault, Prompt(0, 16), 1);
        BenchRequests.Generate(oneRun, Prompt(0, 16), 1);

        // Interleaved, so a neighbour's burst of load falls on all four alike.
        var (bareTimes, defaultTimes, oneRunTimes, httpTimes) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var i = 1; i <= repeats; i++)
        {
            bareTimes.AddRange(bare.Milliseconds(1));
            defaultTimes.Add(BenchRequests.Generate(byDefault, Prompt(1000 + i, tokens), 1).TimeToFirstToken.TotalMilliseconds);
            oneRunTimes.Add(BenchRequests.Generate(oneRun, Prompt(2000 + i, tokens), 1).TimeToFirstToken.TotalMilliseconds);
            if (client is not null)
            {
                httpTimes.Add(Complete(client, i).Milliseconds);
            }
        }
        var (bareMs, defaultMs, oneRunMs) = (BenchRequests.Median(bareTimes), BenchRequests.Median(defaultTimes), BenchRequests.Median(oneRunTimes));
        figures["prompt_tokens"] = tokens;
        figures["bare_prefill_ms"] = Round(bareMs);
        figures[$"engine_ttft_ms_chunks_{defaults.PrefillChunkTokens}_prefix_cache"] = Round(defaultMs);
        figures["engine_ttft_ms_one_run"] = Round(oneRunMs);
        figures["ratio_engine_default_over_bare"] = Round(defaultMs / bareMs);
        figures["ratio_engine_one_run_over_bare"] = Round(oneRunMs / bareMs);
        if (client is not null)
        {
            var httpMs = BenchRequests.Median(httpTimes);
            figures["http_ttft_ms"] = Round(httpMs);
            figures["ratio_http_over_bare"] = Round(httpMs / bareMs);
        }
    }

    /// <summary>Wall time of <c>POST /v1/completions</c> (max_tokens 1, non-streaming) for a prompt of about
    /// <c>promptTokens</c> tokens opening with its own id (the service's prefix cache outlives this run), and how many
    /// tokens the service counted.</summary>
    private (double Milliseconds, int PromptTokens) Complete(HttpClient client, int request)
    {
        var body = new { prompt = PromptText(request), max_tokens = 1, temperature = 0 };
        var clock = Stopwatch.StartNew();
        using var response = client.PostAsJsonAsync("/v1/completions", body).GetAwaiter().GetResult();
        var json = response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return (elapsed, JsonDocument.Parse(json).RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    private string PromptText(int request)
    {
        string[] words = ["the", "engine", "streams", "tokens", "to", "every", "reader", "while", "a", "long", "prompt", "is", "prefilled"];
        var text = new StringBuilder($"Request {request} of {_run}:");
        var random = new Random(request);
        while (tokenizer.CountTokens(text.ToString()) < promptTokens)
        {
            text.Append(' ').Append(words[random.Next(words.Length)]);
        }
        return text.ToString();
    }

    private int[] Prompt(int seed, int length) => BenchRequests.Prompt(_vocab, seed, length);

    private static double Round(double value) => Math.Round(value, 2);
}
