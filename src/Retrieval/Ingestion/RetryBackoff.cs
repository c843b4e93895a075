namespace Rag.Retrieval.Ingestion;

/// <summary>
/// Exponential backoff between attempts of a failed job: <see cref="InitialDelay"/> after the first
/// failure, doubled after each further one, never more than <see cref="MaxDelay"/>.
/// </summary>
public sealed record RetryBackoff(TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public static RetryBackoff From(RetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.IngestionRetryDelay, options.IngestionRetryMaxDelay);
    }

    /// <summary>How long to wait after attempt number <paramref name="failedAttempt"/> (1 for the first) failed.</summary>
    public TimeSpan DelayAfter(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failedAttempt);
        // Doubling stops at the cap, so a high attempt number never overflows TimeSpan.
        var delay = InitialDelay;
        for (var attempt = 1; attempt < failedAttempt && delay < MaxDelay; attempt++)
        {
            delay *= 2;
        }
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
