using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;

namespace Rag.Api.Endpoints.Documents;

/// <summary>
/// A document by an id an upload answered with, for HTTP, MCP's <c>get_document</c> and anything else that reads one:
/// the stored document, else its upload's job, which leads to the document it completed as (a queued upload that
/// repeated stored content completes as the existing document, under that document's id).
/// </summary>
/// <param name="Collection">The collection, when it exists.</param>
/// <param name="Document">The stored document, when there is one.</param>
/// <param name="Job">The upload's job, when the document came from (or waits in) the queue; it holds the step timings.</param>
internal sealed record DocumentLookup(CollectionInfo? Collection, StoredDocument? Document, IngestionJob? Job)
{
    public static async Task<DocumentLookup> FindAsync(
        DocumentStore store, IngestionJobs jobs, Func<Task<CollectionInfo?>> findCollection, string collection, Guid id, CancellationToken cancellationToken)
    {
        var info = await findCollection();
        if (info is not null && await store.GetAsync(info, id, cancellationToken) is { } document)
        {
            return new(info, document, await jobs.GetAsync(id, cancellationToken));
        }
        if (await jobs.GetAsync(id, cancellationToken) is not { } job || job.Collection != collection)
        {
            return new(info, null, null);
        }
        // A queued upload's collection may not exist until its job has run.
        info ??= await findCollection();
        if (job is { Status: IngestionJobStatus.Completed, DocumentId: { } documentId } && info is not null
            && await store.GetAsync(info, documentId, cancellationToken) is { } completed)
        {
            return new(info, completed, job);
        }
        return new(info, null, job);
    }
}
