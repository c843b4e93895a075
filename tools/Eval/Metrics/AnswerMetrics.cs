using Rag.Eval.Golden;

namespace Rag.Eval.Metrics;

/// <summary>How one answer treats its sources and the golden facts.</summary>
/// <param name="CitedExpected">The answer cites at least one expected document.</param>
/// <param name="CitationPrecision">Share of the cited documents that are expected; null when nothing is cited.</param>
/// <param name="FactRecall">Share of the golden facts the answer contains; null when the question lists none.</param>
public sealed record AnswerScore(bool Abstained, int Citations, bool CitedExpected, double? CitationPrecision, double? FactRecall)
{
    /// <summary>Scores an answer against its question; <paramref name="cited"/> are the cited passages' documents (repeats allowed).</summary>
    public static AnswerScore Of(GoldenQuestion question, string answer, IReadOnlyList<RankedDocument> cited, bool abstained)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(cited);
        var documents = new HashSet<Guid>();
        var expected = 0;
        foreach (var document in cited)
        {
            if (documents.Add(document.Id) && question.Expects(document.Name, document.Id))
            {
                expected++;
            }
        }
        double? precision = documents.Count > 0 ? (double)expected / documents.Count : null;
        double? recall = null;
        if (question.Facts.Count > 0)
        {
            var found = 0;
            foreach (var fact in question.Facts)
            {
                found += answer.Contains(fact, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            }
            recall = (double)found / question.Facts.Count;
        }
        return new AnswerScore(abstained, documents.Count, expected > 0, precision, recall);
    }
}

/// <param name="AbstentionRate">Share of questions the service declined to answer (nothing relevant found).</param>
/// <param name="CitedExpectedRate">Share of the answered questions whose answer cites an expected document.</param>
/// <param name="CitationPrecision">Mean over the answers that cite anything; null when none does.</param>
/// <param name="FactRecall">Mean over the questions that list facts; null when none does.</param>
public sealed record AnswerSummary(int Questions, double AbstentionRate, double CitedExpectedRate, double? CitationPrecision, double? FactRecall)
{
    public static AnswerSummary Of(IReadOnlyList<AnswerScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int abstained = 0, answered = 0, citedExpected = 0, cited = 0, withFacts = 0;
        double precision = 0, recall = 0;
        foreach (var score in scores)
        {
            if (score.Abstained)
            {
                abstained++;
            }
            else
            {
                answered++;
                citedExpected += score.CitedExpected ? 1 : 0;
            }
            if (score.CitationPrecision is { } p)
            {
                cited++;
                precision += p;
            }
            if (score.FactRecall is { } r)
            {
                withFacts++;
                recall += r;
            }
        }
        return new AnswerSummary(
            scores.Count,
            scores.Count > 0 ? (double)abstained / scores.Count : 0,
            answered > 0 ? (double)citedExpected / answered : 0,
            cited > 0 ? precision / cited : null,
            withFacts > 0 ? recall / withFacts : null);
    }
}
