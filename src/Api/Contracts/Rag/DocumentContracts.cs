using System.ComponentModel.DataAnnotations;

namespace Rag.Api.Contracts.Rag;

/// <summary>JSON upload: a document given as text.</summary>
public sealed record DocumentTextRequest
{
    /// <summary>Your id for the document; uploading the same id again replaces it.</summary>
    [StringLength(256, MinimumLength = 1)]
    public string? Id { get; init; }

    [Required(AllowEmptyStrings = false), StringLength(512)]
    public string? Name { get; init; }

    [Required(AllowEmptyStrings = false)]
    public string? Text { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public enum DocumentStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
}

/// <summary>
/// A document, or an upload still being ingested (then <see cref="Id"/> is the job's id and
/// <see cref="Url"/> is where to poll; once completed the poll answers with the stored document).
/// </summary>
public sealed record DocumentDto(
    Guid Id,
    string Collection,
    string Name,
    DocumentStatus Status,
    string Url)
{
    public string? ExternalId { get; init; }

    public string? ContentType { get; init; }

    public int? ChunkCount { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public string? Error { get; init; }

    /// <summary>When an upload whose last attempt failed is tried again; null unless a retry is waiting.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>True when the same content was already in the collection and nothing was written.</summary>
    public bool? Duplicate { get; init; }

    public IngestionTimingsDto? Timings { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

public sealed record IngestionTimingsDto(double ExtractMs, double ChunkMs, double EmbedMs, double StoreMs, double TotalMs);

public sealed record UploadResponse(IReadOnlyList<DocumentDto> Documents);

public sealed record DocumentListResponse(IReadOnlyList<DocumentDto> Documents, Guid? NextCursor);
