using Rag.Eval.Client;
using Rag.Eval.Golden;
using Rag.Eval.Metrics;
using Rag.Eval.Report;

namespace Rag.Eval;

/// <summary>What to evaluate and how.</summary>
public sealed record EvalSettings
{
    public required IReadOnlyList<RetrievalMode> Modes { get; init; }

    /// <summary>Passages retrieved per search; ranks are counted over their distinct documents.</summary>
    public int TopK { get; init; } = 20;

    /// <summary>Ask every question once in this mode and score the answers; null skips answers.</summary>
    public RetrievalMode? AnswerMode { get; init; }

    public int AnswerTopK { get; init; } = 5;

    public int AnswerMaxTokens { get; init; } = 128;
}

/// <summary>
/// Runs a golden set against a service: every question searched in every mode (retrieval metrics and stage
/// latencies from the timings the API returns), and asked once when answers are scored.
/// </summary>
public sealed class Evaluator(RagClient client)
{
    /// <summary>Distinct documents kept per question and mode in the report.</summary>
    private const int ShownDocuments = 3;

    public async Task<EvalReport> RunAsync(
        EvalTarget target, IReadOnlyList<GoldenQuestion> golden, EvalSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(settings);
        // One untimed search first: the first request pays for connection set-up and the service's cold paths.
        await client.SearchAsync(golden[0].Question, settings.Modes[0], settings.TopK, cancellationToken);
        var samples = new Dictionary<string, List<double>>();
        var results = new List<QuestionResult>(golden.Count);
        foreach (var question in golden)
        {
            var ranks = new Dictionary<RetrievalMode, int?>();
            var top = new Dictionary<RetrievalMode, IReadOnlyList<string>>();
            foreach (var mode in settings.Modes)
            {
                var outcome = await client.SearchAsync(question.Question, mode, settings.TopK, cancellationToken);
                ranks[mode] = RankMetrics.FirstRelevantRank(outcome.Passages, question);
                top[mode] = [.. outcome.Passages.Select(p => p.Name).Distinct(StringComparer.Ordinal).Take(ShownDocuments)];
                Add(samples, "embed", outcome.EmbedMs);
                Add(samples, $"search_{Name(mode)}", outcome.SearchMs);
                Add(samples, "rerank", outcome.RerankMs);
                Add(samples, $"http_{Name(mode)}", outcome.RoundTripMs);
            }
            AnswerScore? answer = null;
            if (settings.AnswerMode is { } answerMode)
            {
                var asked = await client.AskAsync(question.Question, answerMode, settings.AnswerTopK, settings.AnswerMaxTokens, cancellationToken);
                answer = AnswerScore.Of(question, asked.Answer, asked.Cited, asked.Abstained);
                Add(samples, "prefill", asked.PrefillMs);
                Add(samples, "decode", asked.DecodeMs);
            }
            results.Add(new QuestionResult(question.Id, question.Question, question.Tags, ranks, top, answer));
            progress?.Report($"{results.Count}/{golden.Count} {question.Id}");
        }
        return new EvalReport(
            target,
            settings.TopK,
            Summaries(results, settings.Modes),
            results.SelectMany(r => r.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .ToDictionary(tag => tag, IReadOnlyDictionary<RetrievalMode, RankSummary> (tag) => Summaries([.. results.Where(r => r.Tags.Contains(tag))], settings.Modes)),
            samples.ToDictionary(s => s.Key, s => Latency.Of(s.Value)!),
            settings.AnswerMode is { } mode2 ? new AnswerReport(mode2, AnswerSummary.Of([.. results.Select(r => r.Answer!)])) : null,
            results);
    }

    private static Dictionary<RetrievalMode, RankSummary> Summaries(IReadOnlyList<QuestionResult> results, IReadOnlyList<RetrievalMode> modes) =>
        modes.ToDictionary(mode => mode, mode => RankMetrics.Summarize([.. results.Select(r => r.Ranks[mode])]));

    private static void Add(Dictionary<string, List<double>> samples, string stage, double? milliseconds)
    {
        if (milliseconds is not { } value)
        {
            return;
        }
        if (!samples.TryGetValue(stage, out var list))
        {
            samples[stage] = list = [];
        }
        list.Add(value);
    }

    internal static string Name(RetrievalMode mode) => mode.ToString().ToLowerInvariant();
}
