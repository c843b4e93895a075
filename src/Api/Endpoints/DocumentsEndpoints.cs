using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rag.Api.Contracts.Rag;
using Rag.Api.Endpoints.Documents;
using Rag.Api.Errors;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;

namespace Rag.Api.Endpoints;

/// <summary>Upload, list, inspect and delete the documents of a collection.</summary>
public static class DocumentsEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    public static RouteGroupBuilder MapDocumentsEndpoints(this RouteGroupBuilder collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var documents = collection.MapGroup("/documents").WithTags("Documents");
        documents.MapPost("/", UploadAsync).WithName("UploadDocuments")
            .WithSummary("Upload files (multipart) or a text document (JSON). Ones with little to embed are ingested before the answer (201), the rest are queued (202) under the id the document will have.")
            .Accepts<DocumentTextRequest>("application/json", "multipart/form-data")
            .Produces<DocumentDto>(StatusCodes.Status201Created)
            .Produces<UploadResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        documents.MapGet("/", ListAsync).WithName("ListDocuments").WithSummary("Documents of the collection, a page at a time.");
        documents.MapGet("/{id:guid}", GetAsync).WithName("GetDocument").WithSummary("A document, or the status of a queued upload.");
        documents.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDocument").WithSummary("Delete a document and its chunks.");
        return collection;
    }

    public static async Task<IResult> UploadAsync(string collection, HttpRequest request, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var (read, problem) = await UploadReader.ReadAsync(request, collection, services.Json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var uploads = read!;
        // Everything is checked before anything is written, so a bad file in a batch leaves the database as it was;
        // what was read to check a small upload is what gets ingested.
        var (extracted, tooLarge) = UploadPlan.Decide(uploads, services.Pipeline, services.Options.Value, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var results = new List<DocumentDto>(uploads.Count);
        for (var i = 0; i < uploads.Count; i++)
        {
            var upload = uploads[i];
            if (extracted[i] is { } text)
            {
                var ingested = await services.Pipeline.IngestAsync(upload, text, cancellationToken);
                results.Add(DocumentMapping.ToDto(ingested.Document, ingested.Timings, ingested.Outcome == StoreOutcome.Duplicate));
            }
            else
            {
                var job = await services.Jobs.EnqueueAsync(upload, collection, cancellationToken);
                results.Add(new DocumentDto(job, collection, upload.FileName, DocumentStatus.Pending, DocumentMapping.Url(collection, job)));
            }
        }

        var queued = results.Any(r => r.Status == DocumentStatus.Pending);
        if (!request.HasFormContentType)
        {
            var single = results[0];
            return queued ? TypedResults.Accepted(single.Url, single)
                : single.Duplicate == true ? TypedResults.Ok(single)
                : TypedResults.Created(single.Url, single);
        }
        var response = new UploadResponse(results);
        return queued ? TypedResults.Accepted(results[0].Url, response) : TypedResults.Created(results[0].Url, response);
    }

    public static async Task<Results<Ok<DocumentListResponse>, ProblemHttpResult>> ListAsync(
        string collection, [AsParameters] DocumentServices services, [FromQuery] int? limit, [FromQuery] Guid? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (limit is < 1 or > MaxPageSize)
        {
            return Problems.BadRequest($"'limit' must be between 1 and {MaxPageSize}.");
        }
        if (await services.FindCollectionAsync(collection, cancellationToken) is not { } info)
        {
            return Problems.CollectionNotFound(collection);
        }
        var page = await services.Store.ListAsync(info, limit ?? DefaultPageSize, after, cancellationToken);
        return TypedResults.Ok(new DocumentListResponse(page.Documents.Select(d => DocumentMapping.ToDto(d)).ToList(), page.NextCursor));
    }

    public static async Task<Results<Ok<DocumentDto>, ProblemHttpResult>> GetAsync(
        string collection, Guid id, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var found = await DocumentLookup.FindAsync(
            services.Store, services.Jobs, () => services.FindCollectionAsync(collection, cancellationToken), collection, id, cancellationToken);
        return found switch
        {
            { Document: { } document } => TypedResults.Ok(DocumentMapping.ToDto(document, found.Job?.Timings)),
            { Job: { } job } => TypedResults.Ok(DocumentMapping.ToDto(job)),
            { Collection: null } => Problems.CollectionNotFound(collection),
            _ => Problems.DocumentNotFound(collection, id),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string collection, Guid id, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (await services.FindCollectionAsync(collection, cancellationToken) is not { } info)
        {
            return Problems.CollectionNotFound(collection);
        }
        return await services.Store.DeleteAsync(info, id, cancellationToken) ? TypedResults.NoContent() : Problems.DocumentNotFound(collection, id);
    }
}
