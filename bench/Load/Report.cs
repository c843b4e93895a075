using System.Text.Json;

namespace Rag.Load.Bench;

internal static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToJson(LoadOptions options, IReadOnlyList<LevelResult> levels) => JsonSerializer.Serialize(new
    {
        benchmark = "ask-load",
        url = options.Url,
        requests_per_client = options.RequestsPerClient,
        levels = levels.Select(l => new
        {
            concurrency = l.Concurrency,
            requests = l.Requests,
            answers = l.Answers,
            abstained = l.Abstained,
            rejected_429 = l.Rejected,
            errors = l.Errors,
            ttft_p50_ms = Math.Round(l.TtftP50Ms, 1),
            ttft_p99_ms = Math.Round(l.TtftP99Ms, 1),
            answers_per_second = Math.Round(l.AnswersPerSecond, 2),
        }),
    }, Indented);
}
