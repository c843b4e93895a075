namespace Rag.Retrieval.Ingestion;

/// <summary>A file to ingest. <see cref="ExternalId"/>, when given, makes a later upload with the same id replace this one.</summary>
public sealed record IngestRequest(string FileName, ReadOnlyMemory<byte> Content)
{
    public string? Collection { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>
    /// The id a new document gets; null picks one. A queued upload's is its job id, so the id the 202 named is the
    /// document's. A document replaced through <see cref="ExternalId"/>, or content already stored, keeps its own id.
    /// </summary>
    public Guid? DocumentId { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>An upload's text as <see cref="IngestionPipeline.Extract"/> read it, and how long that took.</summary>
public sealed record ExtractedUpload(Extraction.ExtractedDocument Document, TimeSpan ExtractTime);

/// <summary>Time spent in each ingestion step.</summary>
public sealed record IngestionTimings(TimeSpan Extract, TimeSpan Chunk, TimeSpan Embed, TimeSpan Store)
{
    public TimeSpan Total => Extract + Chunk + Embed + Store;
}

public sealed record IngestResult(Storage.StoredDocument Document, Storage.StoreOutcome Outcome, IngestionTimings Timings);
