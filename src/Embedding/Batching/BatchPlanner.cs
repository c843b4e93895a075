namespace Rag.Embedding.Batching;

/// <summary>
/// Groups texts into batches that waste little padding: longest first, each batch filled while
/// <c>texts × longest text</c> stays within the token budget and the next text is not much shorter than the
/// batch's first. A text longer than the budget runs alone.
/// </summary>
public static class BatchPlanner
{
    /// <summary>
    /// On a CPU the cost of a run is about linear in its padded tokens and batching saves little else, so a text
    /// shorter than this share of the batch's longest starts a new batch instead of being padded (at most 25% waste).
    /// </summary>
    public const double MinLengthRatio = 0.75;

    /// <param name="lengths">Token count of every text, in input order.</param>
    /// <param name="maxBatchTokens">Budget of one batch, padding included.</param>
    public static BatchPlan Plan(ReadOnlySpan<int> lengths, int maxBatchTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchTokens, 1);
        var order = new int[lengths.Length];
        var keys = new long[lengths.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            // Descending length, ties in input order: a deterministic plan for the same input.
            keys[i] = ((long)(int.MaxValue - lengths[i]) << 32) | (uint)i;
        }
        Array.Sort(keys, order);

        var batches = new List<Range>();
        var start = 0;
        while (start < order.Length)
        {
            var longest = lengths[order[start]];
            var end = start + 1;
            while (end < order.Length
                && (long)(end - start + 1) * longest <= maxBatchTokens
                && lengths[order[end]] >= MinLengthRatio * longest)
            {
                end++;
            }
            batches.Add(start..end);
            start = end;
        }
        return new BatchPlan(order, batches);
    }
}
