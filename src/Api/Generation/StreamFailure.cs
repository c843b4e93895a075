using Rag.Api.Errors;

namespace Rag.Api.Generation;

/// <summary>
/// A failure after a stream's status line has gone out (a full generation queue behind the sources, a remote model
/// dropping mid-answer): it can no longer be a status code, so the stream ends with it, described as the problem the
/// request would have answered before streaming began.
/// </summary>
internal static class StreamFailure
{
    /// <summary>Moves the stream on, returning a failure instead of throwing it; a client's cancellation still throws.</summary>
    public static async ValueTask<(bool Moved, Exception? Error)> TryMoveNextAsync<T>(IAsyncEnumerator<T> enumerator, CancellationToken cancellationToken)
    {
        try
        {
            return (await enumerator.MoveNextAsync(), null);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return (false, ex);
        }
    }

    /// <summary>The problem describing <paramref name="error"/>, logged as the exception handler logs it.</summary>
    public static (int Status, string Title, string Detail) Describe(Exception error, ILogger logger, string where)
    {
        var problem = ProblemExceptionHandler.Describe(error);
        ProblemExceptionHandler.Log(logger, error, problem.Status, where);
        return problem;
    }
}
