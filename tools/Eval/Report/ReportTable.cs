using System.Globalization;
using Rag.Eval.Client;
using Rag.Eval.Metrics;

namespace Rag.Eval.Report;

/// <summary>The report as plain-text tables for a terminal: per question, then overall, latency and answers.</summary>
public static class ReportTable
{
    private const int QuestionWidth = 58;

    public static void Write(EvalReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var modes = report.Retrieval.Keys.ToList();
        var t = report.Target;
        output.WriteLine($"{t.Url} collection '{t.Collection}', golden set {t.GoldenSet}");
        output.WriteLine($"models: embedding {t.Models.Embedding}, reranker {t.Models.Reranker ?? "none"}, llm {t.Models.Llm}{(t.Models.Demo ? " (demo)" : "")}");
        output.WriteLine();
        output.WriteLine("rank of the first expected document (distinct documents among the top " + report.TopK + " passages; - = not found)");
        Row(output, ["question", .. modes.Select(Evaluator.Name)], QuestionWidth);
        foreach (var question in report.Questions)
        {
            Row(output, [Shorten($"{question.Id}: {question.Question}"), .. modes.Select(m => question.Ranks[m]?.ToString(CultureInfo.InvariantCulture) ?? "-")], QuestionWidth);
        }
        output.WriteLine();
        WriteSummaries(output, "overall", report.Retrieval);
        foreach (var (tag, summaries) in report.RetrievalByTag)
        {
            WriteSummaries(output, $"tag '{tag}'", summaries);
        }
        Row(output, ["stage", "p50 ms", "p95 ms", "n"], 16);
        foreach (var (stage, latency) in report.Latency.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            Row(output, [stage, Ms(latency.P50Ms), Ms(latency.P95Ms), latency.Samples.ToString(CultureInfo.InvariantCulture)], 16);
        }
        if (report.Answers is { } answers)
        {
            var s = answers.Summary;
            output.WriteLine();
            output.WriteLine($"answers ({Evaluator.Name(answers.Mode)} retrieval, {s.Questions} questions): abstained {Pct(s.AbstentionRate)}, " +
                $"cite an expected document {Pct(s.CitedExpectedRate)}, citation precision {Pct(s.CitationPrecision)}, facts found {Pct(s.FactRecall)}");
        }
    }

    private static void WriteSummaries(TextWriter output, string title, IReadOnlyDictionary<RetrievalMode, RankSummary> summaries)
    {
        Row(output, [$"{title} ({summaries.Values.FirstOrDefault()?.Questions ?? 0} q)", "hit@1", "hit@5", "MRR@10"], 24);
        foreach (var (mode, s) in summaries)
        {
            Row(output, [Evaluator.Name(mode), F(s.HitAt1), F(s.HitAt5), F(s.MrrAt10)], 24);
        }
        output.WriteLine();
    }

    private static void Row(TextWriter output, IReadOnlyList<string> cells, int firstWidth)
    {
        output.Write(cells[0].PadRight(firstWidth));
        for (var i = 1; i < cells.Count; i++)
        {
            output.Write(' ');
            output.Write(cells[i].PadLeft(9));
        }
        output.WriteLine();
    }

    private static string Shorten(string text) => text.Length <= QuestionWidth - 1 ? text : text[..(QuestionWidth - 2)] + "…";

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Pct(double? value) => value is { } v ? v.ToString("0%", CultureInfo.InvariantCulture) : "n/a";
}
