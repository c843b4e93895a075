using Microsoft.AspNetCore.Http.HttpResults;

namespace Rag.Api.Errors;

/// <summary>The problem+json answers handlers return, each saying what the client can do about it.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail, string title = "Invalid request") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static ProblemHttpResult NotFound(string detail, string title = "Not found") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Unprocessable(string detail, string title = "Unprocessable content") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static ProblemHttpResult QueuedUploadTooLarge(string fileName, long bytes, long limit) =>
        TypedResults.Problem(
            $"'{fileName}' has {bytes} bytes; an upload that is queued may have at most {limit} (Api:MaxQueuedUploadBytes). Nothing was stored.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large");

    public static ProblemHttpResult QuestionTooLong(int length, int limit) =>
        BadRequest($"The question has {length} characters; the limit is {limit} (Api:MaxQuestionLength).", "Question too long");

    public static ProblemHttpResult QueryTooLong(int length, int limit) =>
        BadRequest($"The query has {length} characters; the limit is {limit} (Api:MaxQuestionLength).", "Query too long");

    public static ProblemHttpResult ModelNotFound(string model) =>
        NotFound($"Model '{model}' is not loaded here; GET /v1/models lists the models this service serves.", "Model not found");

    public static ProblemHttpResult CollectionNotFound(string collection) =>
        NotFound($"Collection '{collection}' does not exist; upload a document to it to create it.", "Collection not found");

    public static ProblemHttpResult DocumentNotFound(string collection, Guid id) =>
        NotFound($"Document '{id}' does not exist in collection '{collection}'.", "Document not found");
}
