namespace Rag.Api.Contracts.Rag;

/// <param name="QueuedJobs">Uploads waiting for or in ingestion.</param>
/// <param name="LastDocumentAt">When its newest document was stored (null while it holds none): the web page opens on the latest.</param>
public sealed record CollectionDto(
    string Name, string EmbeddingModel, int EmbeddingDimension, long Documents, long Chunks, long QueuedJobs, DateTimeOffset CreatedAt,
    DateTimeOffset? LastDocumentAt);

public sealed record CollectionListResponse(IReadOnlyList<CollectionDto> Collections);
