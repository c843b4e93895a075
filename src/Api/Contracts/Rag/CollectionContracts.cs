namespace Rag.Api.Contracts.Rag;

/// <param name="QueuedJobs">Uploads waiting for or in ingestion.</param>
public sealed record CollectionDto(
    string Name, string EmbeddingModel, int EmbeddingDimension, long Documents, long Chunks, long QueuedJobs, DateTimeOffset CreatedAt);

public sealed record CollectionListResponse(IReadOnlyList<CollectionDto> Collections);
