using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Rag.Load.Bench;

internal sealed record LevelResult(int Concurrency, int Requests, int Answers, int Abstained, int Rejected, int Errors, double TtftP50Ms, double TtftP99Ms, double AnswersPerSecond);

/// <summary>One concurrency level: each client asks its questions one after another, all clients at once.</summary>
internal static class LoadLevel
{
    private static readonly string[] Questions =
    [
        "Where does the cat like to sit?",
        "What will the weather be tomorrow?",
        "How do I cook the soup?",
        "What do cats watch from the window?",
    ];

    public static async Task<LevelResult> RunAsync(HttpClient client, string collection, int concurrency, int requestsPerClient)
    {
        var outcomes = new List<Outcome>[concurrency];
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async c =>
        {
            outcomes[c] = [];
            for (var i = 0; i < requestsPerClient; i++)
            {
                outcomes[c].Add(await AskAsync(client, collection, Questions[(c + i) % Questions.Length]));
            }
        }));
        wall.Stop();
        var all = outcomes.SelectMany(o => o).ToList();
        var ttfts = all.Where(o => o.Kind == OutcomeKind.Answered).Select(o => o.TimeToFirstToken.TotalMilliseconds).Order().ToList();
        var answers = ttfts.Count;
        return new LevelResult(concurrency, all.Count, answers, all.Count(o => o.Abstained),
            all.Count(o => o.Kind == OutcomeKind.Rejected), all.Count(o => o.Kind == OutcomeKind.Error),
            Percentile(ttfts, 0.50), Percentile(ttfts, 0.99), answers / wall.Elapsed.TotalSeconds);
    }

    private static async Task<Outcome> AskAsync(HttpClient client, string collection, string question)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/collections/{collection}/ask")
        {
            Content = JsonContent.Create(new { question, stream = true }),
        };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new Outcome(OutcomeKind.Rejected, TimeSpan.Zero);
            }
            if (!response.IsSuccessStatusCode)
            {
                return new Outcome(OutcomeKind.Error, TimeSpan.Zero);
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            TimeSpan? firstToken = null;
            string? done = null;
            var last = "";
            while (await reader.ReadLineAsync() is { } line)
            {
                // The first answer text, or the completed answer when the service abstained without generating.
                if (line is "event: delta" or "event: done")
                {
                    firstToken ??= Stopwatch.GetElapsedTime(started);
                }
                if (last == "event: done")
                {
                    done = line;
                }
                last = line;
            }
            return done is null
                ? new Outcome(OutcomeKind.Error, TimeSpan.Zero)
                : new Outcome(OutcomeKind.Answered, firstToken!.Value, done.Contains("\"abstained\":true", StringComparison.Ordinal));
        }
        catch (HttpRequestException)
        {
            return new Outcome(OutcomeKind.Error, TimeSpan.Zero);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private enum OutcomeKind
    {
        Answered,
        Rejected,
        Error,
    }

    private sealed record Outcome(OutcomeKind Kind, TimeSpan TimeToFirstToken, bool Abstained = false);
}
