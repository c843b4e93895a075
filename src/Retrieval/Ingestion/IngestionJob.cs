namespace Rag.Retrieval.Ingestion;

public enum IngestionJobStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
}

/// <summary>A job's state as a client polls it.</summary>
public sealed record IngestionJob(
    Guid Id,
    string Collection,
    string FileName,
    IngestionJobStatus Status,
    int Attempts,
    string? Error,
    Guid? DocumentId,
    IngestionTimings? Timings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>When a pending job that failed may be tried again; null unless it is waiting for a retry.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}

/// <summary>A job a worker holds the lease on; <see cref="Attempt"/> fences out a worker whose lease was taken over.</summary>
public sealed record ClaimedJob(Guid Id, int Attempt, IngestRequest Request);
