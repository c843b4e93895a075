using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Rag.Api.Hosting;

/// <summary>
/// Bounds the waits on a remote LLM — for the whole response, or for each next token when streaming — and turns the
/// server's failures into <see cref="RemoteModelException"/>s (502/504) instead of hangs and 500s.
/// </summary>
internal sealed class RemoteChatClient(IChatClient inner, RemoteModelOptions remote) : DelegatingChatClient(inner)
{
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(remote.TimeoutSeconds);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await base.GetResponseAsync(messages, options, deadline.Token);
        }
        catch (Exception ex) when (Fault(ex, cancellationToken) is { } fault)
        {
            throw fault;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await using var updates = base.GetStreamingResponseAsync(messages, options, deadline.Token).GetAsyncEnumerator(deadline.Token);
        for (;;)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception ex) when (Fault(ex, cancellationToken) is { } fault)
            {
                throw fault;
            }
            // Each token gets a fresh wait: a long answer is fine, a stalled server is not.
            deadline.CancelAfter(timeout);
            yield return updates.Current;
        }
    }

    private RemoteModelException? Fault(Exception error, CancellationToken caller) =>
        RemoteModelException.From(error, "Llm", remote.Endpoint!, remote.TimeoutSeconds, caller);
}
