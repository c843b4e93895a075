namespace Rag.Api.Errors;

/// <summary>
/// A client error found deep inside a handler (e.g. while streaming a multipart body) that is simplest to
/// raise than to thread back as a result; <see cref="ProblemExceptionHandler"/> writes it as problem+json.
/// </summary>
public sealed class ClientProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
