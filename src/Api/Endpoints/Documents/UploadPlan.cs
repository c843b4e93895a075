using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Errors;
using Rag.Api.Hosting;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Ingestion;

namespace Rag.Api.Endpoints.Documents;

/// <summary>
/// Decides which uploads are ingested while the client waits, for HTTP uploads and MCP's <c>ingest_text</c> alike:
/// those read (up to Api:SynchronousIngestBytes) whose estimated chunks, added up over the request, stay within
/// Api:SynchronousIngestChunks. The rest are queued, and must then fit Api:MaxQueuedUploadBytes.
/// </summary>
internal static class UploadPlan
{
    /// <returns>Per upload, what was read to ingest it inline, or null to queue it; or the problem refusing the request.</returns>
    public static (ExtractedUpload?[] Extracted, ProblemHttpResult? TooLarge) Decide(
        IReadOnlyList<IngestRequest> uploads, IngestionPipeline pipeline, ApiOptions settings, CancellationToken cancellationToken)
    {
        var extracted = new ExtractedUpload?[uploads.Count];
        var inlineChunks = 0;
        for (var i = 0; i < uploads.Count; i++)
        {
            var upload = uploads[i];
            if (upload.Content.Length <= settings.SynchronousIngestBytes)
            {
                var read = pipeline.Extract(upload, cancellationToken);
                var chunks = pipeline.EstimateChunks(read.Document);
                if (inlineChunks + chunks <= settings.SynchronousIngestChunks)
                {
                    inlineChunks += chunks;
                    extracted[i] = read;
                    continue;
                }
            }
            else
            {
                FormatDetector.Detect(upload.FileName, upload.Content.Span);
            }
            if (upload.Content.Length > settings.MaxQueuedUploadBytes)
            {
                return (extracted, Problems.QueuedUploadTooLarge(upload.FileName, upload.Content.Length, settings.MaxQueuedUploadBytes));
            }
        }
        return (extracted, null);
    }
}
