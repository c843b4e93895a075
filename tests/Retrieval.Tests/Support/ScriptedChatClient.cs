using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// An IChatClient that answers with a fixed text, streamed word by word, and records what it was
/// asked. A tiny random-weight model cannot produce meaningful [n] citations, so citation mapping
/// and abstention are tested against this scripted answer; the real OnnxChatClient is exercised
/// by the Llm tests.
/// </summary>
public sealed class ScriptedChatClient(string answer) : IChatClient
{
    public int Calls { get; private set; }

    public IReadOnlyList<ChatMessage> LastMessages { get; private set; } = [];

    public ChatOptions? LastOptions { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls++;
        LastMessages = messages.ToList();
        LastOptions = options;
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = words.Length })]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
