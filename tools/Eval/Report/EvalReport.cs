using Rag.Eval.Client;
using Rag.Eval.Metrics;

namespace Rag.Eval.Report;

/// <summary>Everything one evaluation run measured; written as the <c>--json</c> file.</summary>
public sealed record EvalReport(
    EvalTarget Target,
    int TopK,
    IReadOnlyDictionary<RetrievalMode, RankSummary> Retrieval,
    IReadOnlyDictionary<string, IReadOnlyDictionary<RetrievalMode, RankSummary>> RetrievalByTag,
    IReadOnlyDictionary<string, Latency> Latency,
    AnswerReport? Answers,
    IReadOnlyList<QuestionResult> Questions);

public sealed record EvalTarget(string Url, string Collection, string GoldenSet, ServedModels Models);

/// <param name="Mode">The retrieval mode the answers were asked with.</param>
public sealed record AnswerReport(RetrievalMode Mode, AnswerSummary Summary);

/// <param name="Ranks">Per mode, the rank of the first expected document (null: not among the retrieved).</param>
/// <param name="TopDocuments">Per mode, the first distinct documents retrieved, to see what came instead.</param>
public sealed record QuestionResult(
    string Id,
    string Question,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<RetrievalMode, int?> Ranks,
    IReadOnlyDictionary<RetrievalMode, IReadOnlyList<string>> TopDocuments,
    AnswerScore? Answer);
