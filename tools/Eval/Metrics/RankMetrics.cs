using System.Text.Json.Serialization;
using Rag.Eval.Golden;

namespace Rag.Eval.Metrics;

/// <summary>
/// Retrieval quality of one ranking. Ranks count distinct documents: the service returns passages, and a page
/// whose three passages fill ranks 1–3 is one answer, not three, so the next page is rank 2.
/// </summary>
public static class RankMetrics
{
    /// <summary>MRR is cut off here: a first relevant document below rank 10 counts as not found.</summary>
    public const int MrrCutoff = 10;

    /// <summary>The 1-based rank of the first expected document among the distinct documents of <paramref name="passages"/>; null when none is expected.</summary>
    public static int? FirstRelevantRank(IReadOnlyList<RankedDocument> passages, GoldenQuestion question)
    {
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(question);
        var seen = new HashSet<Guid>();
        foreach (var passage in passages)
        {
            if (!seen.Add(passage.Id))
            {
                continue;
            }
            if (question.Expects(passage.Name, passage.Id))
            {
                return seen.Count;
            }
        }
        return null;
    }

    public static bool HitAt(int? rank, int k) => rank is { } r && r <= k;

    public static double ReciprocalRank(int? rank) => rank is { } r && r <= MrrCutoff ? 1.0 / r : 0;

    /// <summary>hit@1, hit@5 and MRR@10 averaged over <paramref name="ranks"/> (one per question).</summary>
    public static RankSummary Summarize(IReadOnlyList<int?> ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count == 0)
        {
            return new RankSummary(0, 0, 0, 0);
        }
        double hit1 = 0, hit5 = 0, mrr = 0;
        foreach (var rank in ranks)
        {
            hit1 += HitAt(rank, 1) ? 1 : 0;
            hit5 += HitAt(rank, 5) ? 1 : 0;
            mrr += ReciprocalRank(rank);
        }
        return new RankSummary(ranks.Count, hit1 / ranks.Count, hit5 / ranks.Count, mrr / ranks.Count);
    }
}

public sealed record RankSummary(
    int Questions,
    [property: JsonPropertyName("hit_at_1")] double HitAt1,
    [property: JsonPropertyName("hit_at_5")] double HitAt5,
    [property: JsonPropertyName("mrr_at_10")] double MrrAt10);
