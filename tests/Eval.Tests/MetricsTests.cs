using Rag.Eval.Golden;
using Rag.Eval.Metrics;

namespace Rag.Eval.Tests;

public sealed class MetricsTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid();

    private static GoldenQuestion Expecting(params string[] expected) => new("q", "question?", expected, []);

    private static RankedDocument Doc(string name, Guid id) => new(name, id);

    [Fact]
    public void Rank_counts_distinct_documents_so_several_passages_of_one_page_take_one_rank()
    {
        RankedDocument[] passages = [Doc("a.html", A), Doc("a.html", A), Doc("a.html", A), Doc("b.html", B), Doc("c.html", C)];

        Assert.Equal(2, RankMetrics.FirstRelevantRank(passages, Expecting("b.html")));
        Assert.Equal(2, RankMetrics.FirstRelevantRank(passages, Expecting("c.html", "B.HTML")));
        Assert.Null(RankMetrics.FirstRelevantRank(passages, Expecting("d.html")));
    }

    [Fact]
    public void An_expected_document_may_be_named_by_its_id()
    {
        RankedDocument[] passages = [Doc("a.html", A), Doc("same-name.html", B), Doc("same-name.html", C)];

        Assert.Equal(3, RankMetrics.FirstRelevantRank(passages, Expecting(C.ToString())));
    }

    [Fact]
    public void Summary_averages_hits_and_reciprocal_ranks_with_mrr_cut_at_10()
    {
        int?[] ranks = [1, 2, 5, 6, 11, null];

        var summary = RankMetrics.Summarize(ranks);

        Assert.Equal(6, summary.Questions);
        Assert.Equal(1.0 / 6, summary.HitAt1, 12);
        Assert.Equal(3.0 / 6, summary.HitAt5, 12);
        Assert.Equal((1 + 1 / 2.0 + 1 / 5.0 + 1 / 6.0) / 6, summary.MrrAt10, 12);
    }

    [Fact]
    public void Answer_score_counts_cited_documents_once_and_matches_facts_case_insensitively()
    {
        var question = new GoldenQuestion("q", "?", ["a.html", "b.html"], ["work_mem", "SORT", "hash"]);
        RankedDocument[] cited = [Doc("a.html", A), Doc("a.html", A), Doc("d.html", D)];

        var score = AnswerScore.Of(question, "Raise WORK_MEM so the sort stays in memory [1][2].", cited, abstained: false);

        Assert.Equal(2, score.Citations);
        Assert.True(score.CitedExpected);
        Assert.Equal(0.5, score.CitationPrecision);
        Assert.Equal(2.0 / 3, score.FactRecall!.Value, 12);
    }

    [Fact]
    public void Answer_without_citations_or_facts_has_no_precision_or_recall()
    {
        var score = AnswerScore.Of(Expecting("a.html"), "I do not know.", [], abstained: true);

        Assert.Equal((0, false, null, null), (score.Citations, score.CitedExpected, score.CitationPrecision, score.FactRecall));
    }

    [Fact]
    public void Answer_summary_rates_abstentions_over_all_and_citations_over_the_answered()
    {
        AnswerScore[] scores =
        [
            new(Abstained: true, 0, false, null, null),
            new(Abstained: false, 2, true, 0.5, 1.0),
            new(Abstained: false, 1, false, 0.0, 0.0),
            new(Abstained: false, 0, false, null, 0.5),
        ];

        var summary = AnswerSummary.Of(scores);

        Assert.Equal(0.25, summary.AbstentionRate);
        Assert.Equal(1.0 / 3, summary.CitedExpectedRate, 12);
        Assert.Equal(0.25, summary.CitationPrecision);
        Assert.Equal(0.5, summary.FactRecall);
    }

    [Fact]
    public void Latency_percentiles_are_nearest_rank()
    {
        double[] samples = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];

        var latency = Latency.Of(samples)!;

        Assert.Equal((10, 50.0, 100.0), (latency.Samples, latency.P50Ms, latency.P95Ms));
        Assert.Equal(7.0, Latency.Of([7.0])!.P95Ms);
        Assert.Null(Latency.Of([]));
    }
}
