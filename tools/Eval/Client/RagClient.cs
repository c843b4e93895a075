using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Rag.Eval.Metrics;

namespace Rag.Eval.Client;

/// <summary>What the target service serves: the evaluation only ever talks to it over HTTP, so any models behind it work.</summary>
public sealed record ServedModels(string? Llm, string? Embedding, string? Reranker, bool Demo);

/// <summary>One search as the evaluation sees it: the ranked passages' documents and the stage times the service reported.</summary>
public sealed record SearchOutcome(IReadOnlyList<RankedDocument> Passages, double EmbedMs, double SearchMs, double? RerankMs, double RoundTripMs);

/// <summary>One answer: its text, the documents it cites and its stage times (prefill and decode derived from the service's timings).</summary>
public sealed record AskOutcome(string Answer, IReadOnlyList<RankedDocument> Cited, bool Abstained, double? PrefillMs, double? DecodeMs);

/// <summary>The service's <c>/v1</c> API for one collection, with the key sent as a bearer token.</summary>
public sealed class RagClient(HttpClient http, string collection)
{
    public static HttpClient CreateHttp(Uri baseAddress, string? key, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if (!string.IsNullOrEmpty(key))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http;
    }

    public async Task<ServedModels> GetModelsAsync(CancellationToken cancellationToken)
    {
        var list = await ReadAsync<ModelListWire>(await http.GetAsync(new Uri("v1/models", UriKind.Relative), cancellationToken), cancellationToken);
        string? Id(string kind) => list.Data.FirstOrDefault(m => m.Kind == kind)?.Id;
        return new ServedModels(Id("llm"), Id("embedding"), Id("reranker"), list.Data.Any(m => m.Demo));
    }

    public async Task<SearchOutcome> SearchAsync(string query, RetrievalMode mode, int topK, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await http.PostAsJsonAsync(
            Path("search"), new { query, top_k = topK, mode = WireMode(mode), rerank = mode == RetrievalMode.Reranked }, RagJson.Options, cancellationToken);
        var result = await ReadAsync<SearchWire>(response, cancellationToken);
        var roundTrip = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new SearchOutcome(
            [.. result.Hits.Select(h => new RankedDocument(h.DocumentName, h.DocumentId))], result.EmbedMs, result.SearchMs, result.RerankMs, roundTrip);
    }

    public async Task<AskOutcome> AskAsync(string question, RetrievalMode mode, int topK, int maxTokens, CancellationToken cancellationToken)
    {
        var response = await http.PostAsJsonAsync(
            Path("ask"),
            new { question, top_k = topK, mode = WireMode(mode), rerank = mode == RetrievalMode.Reranked, max_tokens = maxTokens, temperature = 0 },
            RagJson.Options, cancellationToken);
        var result = await ReadAsync<AskWire>(response, cancellationToken);
        var t = result.Timings;
        // The service reports time to first token from the request's arrival: what remains after embedding and search
        // is prompt building, reranking when on, and the prefill run; decoding is everything after the first token.
        double? prefill = t.TimeToFirstTokenMs is { } ttft ? Math.Max(0, ttft - t.EmbedMs - t.SearchMs) : null;
        double? decode = t.TimeToFirstTokenMs is { } first ? Math.Max(0, t.TotalMs - first) : null;
        return new AskOutcome(
            result.Answer, [.. result.Citations.Select(c => new RankedDocument(c.DocumentName, c.DocumentId))], result.Abstained, prefill, decode);
    }

    private Uri Path(string action) => new($"v1/collections/{Uri.EscapeDataString(collection)}/{action}", UriKind.Relative);

    private static string WireMode(RetrievalMode mode) => mode == RetrievalMode.Vector ? "vector" : "hybrid";

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new EvalTargetException(
                    $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {Shorten(body)}");
            }
            return await response.Content.ReadFromJsonAsync<T>(RagJson.Options, cancellationToken)
                ?? throw new EvalTargetException($"{response.RequestMessage?.RequestUri} answered an empty body.");
        }
    }

    private static string Shorten(string body) => body.Length <= 500 ? body : body[..500] + "…";
}

/// <summary>The target service refused or failed a request the evaluation needs.</summary>
public sealed class EvalTargetException(string message) : Exception(message);
