using System.Runtime.ExceptionServices;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Runs one extraction on its own thread with a large, known stack. The readers' depth checks keep every parser far
/// below it; the size is the margin that makes a <see cref="StackOverflowException"/> — which ends the process and
/// cannot be caught — impossible rather than unlikely, whatever thread (a thread-pool thread has far less) calls.
/// </summary>
internal static class ExtractionThread
{
    private const int StackBytes = 64 << 20;

    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        }, StackBytes)
        {
            IsBackground = true,
            Name = "Document extraction",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
