using Rag.Retrieval.Storage;

namespace Rag.Api.Contracts.Rag;

/// <param name="QueuedJobs">Uploads waiting for or in ingestion.</param>
/// <param name="LastDocumentAt">When its newest document was stored (null while it holds none): the web page opens on the latest.</param>
public sealed record CollectionDto(
    string Name, string EmbeddingModel, int EmbeddingDimension, long Documents, long Chunks, long QueuedJobs, DateTimeOffset CreatedAt,
    DateTimeOffset? LastDocumentAt)
{
    public static CollectionDto From(CollectionSummary c) =>
        new(c.Name, c.EmbeddingModel, c.EmbeddingDimension, c.Documents, c.Chunks, c.QueuedJobs, c.CreatedAt, c.LastDocumentAt);
}

public sealed record CollectionListResponse(IReadOnlyList<CollectionDto> Collections);
