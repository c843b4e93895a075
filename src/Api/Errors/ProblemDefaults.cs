namespace Rag.Api.Errors;

/// <summary>
/// Fills in what a bare status code (no route, wrong method, wrong content type) leaves out: a trace id and a
/// sentence saying what to do.
/// </summary>
internal static class ProblemDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        problem.Extensions.TryAdd("trace_id", context.HttpContext.TraceIdentifier);
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Path}; /openapi/v1.json and /scalar describe the API.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}; /openapi/v1.json lists the methods.",
            StatusCodes.Status415UnsupportedMediaType => $"Content type '{request.ContentType}' is not accepted here; send application/json (uploads also take multipart/form-data).",
            StatusCodes.Status504GatewayTimeout => "The request took longer than Api:RequestTimeoutSeconds and was cancelled.",
            _ => null,
        };
    }
}
