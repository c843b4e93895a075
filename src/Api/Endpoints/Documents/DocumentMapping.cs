using Rag.Api.Contracts.Rag;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;

namespace Rag.Api.Endpoints.Documents;

internal static class DocumentMapping
{
    public static string Url(string collection, Guid id) => $"/v1/collections/{Uri.EscapeDataString(collection)}/documents/{id}";

    public static DocumentDto ToDto(StoredDocument document, IngestionTimings? timings = null, bool? duplicate = null) =>
        new(document.Id, document.Collection, document.Name, DocumentStatus.Completed, Url(document.Collection, document.Id))
        {
            ExternalId = document.ExternalId,
            ContentType = document.ContentType,
            ChunkCount = document.ChunkCount,
            Tags = document.Tags,
            Duplicate = duplicate,
            Timings = timings is null ? null : ToDto(timings),
            CreatedAt = document.CreatedAt,
            UpdatedAt = document.UpdatedAt,
        };

    public static DocumentDto ToDto(IngestionJob job) =>
        new(job.Id, job.Collection, job.FileName, ToStatus(job.Status), Url(job.Collection, job.Id))
        {
            Error = job.Error,
            NextAttemptAt = job.NextAttemptAt,
            Timings = job.Timings is null ? null : ToDto(job.Timings),
            CreatedAt = job.CreatedAt,
            UpdatedAt = job.UpdatedAt,
        };

    private static IngestionTimingsDto ToDto(IngestionTimings t) =>
        new(t.Extract.TotalMilliseconds, t.Chunk.TotalMilliseconds, t.Embed.TotalMilliseconds, t.Store.TotalMilliseconds, t.Total.TotalMilliseconds);

    private static DocumentStatus ToStatus(IngestionJobStatus status) => status switch
    {
        IngestionJobStatus.Pending => DocumentStatus.Pending,
        IngestionJobStatus.Processing => DocumentStatus.Processing,
        IngestionJobStatus.Completed => DocumentStatus.Completed,
        _ => DocumentStatus.Failed,
    };
}
