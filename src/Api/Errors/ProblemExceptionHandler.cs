using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Rag.Api.Contracts.Text;
using Rag.Api.Hosting;
using Rag.Llm.Generation;
using Rag.Llm.Serving;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Api.Errors;

/// <summary>
/// Turns what a client can cause — unreadable JSON, oversized bodies, a full generation queue — into
/// problem+json with a message a person can act on. A database that cannot answer is a 503 the client may retry;
/// anything else is a 500 and is logged.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, IOptions<ApiOptions> options, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the request timed out): nobody is left to read a body.
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }
        var (status, title, detail) = Describe(exception);
        Log(logger, exception, status, $"{httpContext.Request.Method} {httpContext.Request.Path}");
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>How every path that answers a problem (HTTP, a stream's last event, an MCP tool error) logs its cause.</summary>
    internal static void Log(ILogger logger, Exception exception, int status, string where)
    {
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while PostgreSQL restarts: one line per request, not a stack trace each.
            logger.LogWarning("Database unavailable on {Where}: {Reason}", where, exception.Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Where}", where);
        }
    }

    internal static (int Status, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "Payload too large", "The request body is larger than the configured limit (Api:MaxUploadBytes)."),
        BadHttpRequestException { InnerException: InvalidTextException text } bad => (bad.StatusCode, "Invalid text", text.Message),
        BadHttpRequestException { InnerException: JsonException json } bad =>
            (bad.StatusCode, "Invalid JSON", $"The request body is not valid JSON for this endpoint: {json.Message}"),
        BadHttpRequestException bad => (bad.StatusCode, ReasonTitle(bad.StatusCode), bad.Message),
        InvalidDataException invalid => (400, "Invalid request body", invalid.Message),
        InvalidTextException text => (400, "Invalid text", text.Message),
        JsonException json => (400, "Invalid JSON", $"The request body is not valid JSON for this endpoint: {json.Message}"),
        LlmBusyException busy => (429, "Too many requests", busy.Message),
        UnsupportedDocumentException unsupported => (415, "Unsupported document type", unsupported.Message),
        ExtractionBudgetExceededException budget => (422, "Document exceeds an extraction limit", budget.Message),
        UnreadableDocumentException unreadable => (422, "Unreadable document", unreadable.Message),
        TagFilterException filter => (400, "Invalid filter", filter.Message),
        NoRerankerException noReranker => (400, "Reranking unavailable", noReranker.Message),
        PromptTooLongException tooLong => (400, "Prompt too long", tooLong.Message),
        NoRoomForSourcesException noRoom => (400, "Prompt too long", noRoom.Message),
        EmbeddingModelMismatchException mismatch => (409, "Embedding model mismatch", mismatch.Message),
        ClientProblemException problem => (problem.Status, problem.Title, problem.Message),
        RemoteModelException remote => (remote.Status, remote.Title, remote.Message),
        _ when DatabaseOutage.Caused(exception) =>
            (503, "Database unavailable", "The database is not answering right now (restarting or unreachable); retry after the Retry-After delay."),
        _ => (500, "Internal server error", "The service failed to handle this request; the error is in its log."),
    };

    private static string ReasonTitle(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad request";
}
