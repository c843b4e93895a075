namespace Rag.Retrieval.Storage;

public sealed record StoredDocument(
    Guid Id,
    string Collection,
    string? ExternalId,
    string Name,
    string ContentType,
    IReadOnlyDictionary<string, string> Tags,
    int ChunkCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>What to store: <see cref="ContentHash"/> identifies the content for deduplication.</summary>
public sealed record NewDocument(
    string Name,
    string ContentType,
    byte[] ContentHash,
    string? ExternalId,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The id to store it under; null picks a new one. A replaced document keeps its own.</summary>
    public Guid? Id { get; init; }
}

public enum StoreOutcome
{
    Created,
    /// <summary>A document with the same external id existed; its chunks were replaced.</summary>
    Replaced,
    /// <summary>The same content was already in the collection; nothing was written.</summary>
    Duplicate,
}

public sealed record StoreResult(StoredDocument Document, StoreOutcome Outcome);

/// <summary>One page of a listing; pass <see cref="NextCursor"/> back to get the next one.</summary>
public sealed record DocumentPage(IReadOnlyList<StoredDocument> Documents, Guid? NextCursor);
