using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Ingestion;

/// <summary>extract → chunk → embed (batched) → store, with the time of each step.</summary>
public sealed class IngestionPipeline(
    Chunker chunker, Embedder embedder, DocumentStore store, IOptions<RetrievalOptions> options, IOptions<ExtractionOptions> extraction)
{
    /// <inheritdoc cref="Chunker.EstimateChunks"/>
    public int EstimateChunks(ExtractedDocument document) => chunker.EstimateChunks(document);

    public Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken = default) =>
        IngestAsync(request, extracted: null, cancellationToken);

    /// <summary>
    /// The first step alone: the upload's text, or the typed error of a file that cannot be read. A caller that must
    /// check several uploads before storing any passes the result on rather than have it read twice.
    /// </summary>
    public ExtractedUpload Extract(IngestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        using (RetrievalTelemetry.Source.StartActivity("retrieval.extract"))
        {
            var document = TextExtractor.Extract(request.FileName, request.Content, extraction.Value, cancellationToken: cancellationToken);
            return new ExtractedUpload(document, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <param name="extracted">What <see cref="Extract"/> already read from this request; null reads it here.</param>
    public async Task<IngestResult> IngestAsync(IngestRequest request, ExtractedUpload? extracted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var collectionName = request.Collection ?? options.Value.DefaultCollection;
        using var span = RetrievalTelemetry.Source.StartActivity("retrieval.ingest");
        span?.SetTag("rag.collection", collectionName);
        span?.SetTag("rag.document.name", request.FileName);
        span?.SetTag("rag.document.bytes", request.Content.Length);
        var model = await embedder.GetModelAsync(cancellationToken);
        var hash = SHA256.HashData(request.Content.Span);
        // A duplicate is answered before any extraction or embedding work.
        var existingCollection = await store.FindCollectionAsync(collectionName, model, cancellationToken);
        if (existingCollection is not null && await store.FindByContentAsync(existingCollection, hash, cancellationToken) is { } existing)
        {
            span?.SetTag("rag.ingest.outcome", nameof(StoreOutcome.Duplicate));
            return new IngestResult(existing, StoreOutcome.Duplicate, new IngestionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));
        }

        var (text, extractTime) = extracted ?? Extract(request, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<Chunk> chunks;
        using (var chunking = RetrievalTelemetry.Source.StartActivity("retrieval.chunk"))
        {
            chunks = chunker.Split(text);
            chunking?.SetTag("rag.chunks", chunks.Count);
        }
        var chunkTime = Stopwatch.GetElapsedTime(started);

        // Embedding runs inside the store's COPY (vectors are written as each batch arrives), so
        // the store step is the whole write minus the time spent in the generator.
        started = Stopwatch.GetTimestamp();
        var embedTime = new Stopwatch();
        var texts = chunks.Select(c => c.Text).ToArray();
        var document = new NewDocument(request.FileName, ContentTypeOf(text.Format), hash, request.ExternalId, request.Tags) { Id = request.DocumentId };
        StoreResult result;
        using (RetrievalTelemetry.Source.StartActivity("retrieval.store"))
        {
            // A new collection is created in the document's transaction: a failed first upload leaves none behind.
            result = await store.StoreAsync(collectionName, model, document, chunks, embedder.EmbedAsync(texts, embedTime, cancellationToken), cancellationToken);
        }
        var storeTime = Stopwatch.GetElapsedTime(started) - embedTime.Elapsed;
        span?.SetTag("rag.ingest.outcome", result.Outcome.ToString());
        span?.SetTag("rag.chunks", chunks.Count);

        return new IngestResult(result.Document, result.Outcome, new IngestionTimings(extractTime, chunkTime, embedTime.Elapsed, storeTime));
    }

    private static string ContentTypeOf(SourceFormat format) => format switch
    {
        SourceFormat.Markdown => "text/markdown",
        SourceFormat.Html => "text/html",
        SourceFormat.Pdf => "application/pdf",
        SourceFormat.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "text/plain",
    };
}
