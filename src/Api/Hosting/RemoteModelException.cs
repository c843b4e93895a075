namespace Rag.Api.Hosting;

/// <summary>
/// A remote model server failed (502: unreachable, an error status) or kept the caller waiting too long (504).
/// The message names the server and the setting to check.
/// </summary>
public sealed class RemoteModelException(int status, string message, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;

    public string Title => Status == StatusCodes.Status504GatewayTimeout ? "Model server timed out" : "Model server failed";

    /// <summary>What <paramref name="error"/> means for a caller of the <paramref name="section"/> server, or null when it is not the server's fault.</summary>
    public static RemoteModelException? From(Exception error, string section, Uri endpoint, int timeoutSeconds, CancellationToken caller) => error switch
    {
        RemoteModelException => null,
        // Cancelled without the caller asking: our deadline or the client library's network timeout.
        OperationCanceledException when !caller.IsCancellationRequested => new(StatusCodes.Status504GatewayTimeout,
            $"The {section} server at {endpoint} did not answer within {timeoutSeconds} s ({section}:TimeoutSeconds).", error),
        System.ClientModel.ClientResultException result => new(StatusCodes.Status502BadGateway,
            $"The {section} server at {endpoint} answered {(result.Status == 0 ? "without a status" : result.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {FirstLine(result.Message)}", error),
        HttpRequestException request => new(StatusCodes.Status502BadGateway,
            $"The {section} server at {endpoint} could not be reached: {request.Message}", error),
        _ => null,
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
