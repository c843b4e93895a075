using Rag.Llm.Generation;

namespace Rag.Llm.Tests.Generation;

/// <summary>Cancels a stream once the engine has sampled a number of its tokens. Watched on the engine's own count:
/// the stream's reader can trail the engine by many tokens (the output channel is unbounded and the engine does not
/// wait for readers), so a cancel from inside the reader's loop may come long after the count it meant.</summary>
internal static class CancelWatch
{
    /// <returns>The tokens sampled when the cancel had been flagged.</returns>
    public static Task<int> CancelAfter(GenerationStats stats, int tokens, CancellationTokenSource cancel) => Task.Run(() =>
    {
        SpinWait.SpinUntil(() => stats.CompletionTokens >= tokens || stats.FinishReason is not null);
        cancel.Cancel();
        return stats.CompletionTokens;
    });
}
