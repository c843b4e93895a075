using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Rag.Llm.Chat;
using Rag.Llm.Generation;
using Rag.Tokenizers;

namespace Rag.Llm.Serving;

/// <summary>An <see cref="IChatClient"/> over the local ONNX decoder: renders the conversation with the model's chat
/// template, tokenizes it, and streams the generator's text. Safe to call concurrently; the request gate bounds
/// how many generations run at once.</summary>
public sealed class OnnxChatClient(
    Generator generator,
    HfTokenizer tokenizer,
    ChatTemplate template,
    SamplingOptions defaultSampling,
    string modelId) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("onnxruntime", null, modelId);

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var stats = new GenerationStats();
        var text = new StringBuilder();
        await foreach (var delta in Generate(messages, options, stats, cancellationToken))
        {
            text.Append(delta);
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()))
        {
            ModelId = modelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = ChatOptionsMapping.ToFinishReason(stats.FinishReason),
            Usage = ChatOptionsMapping.ToUsage(stats),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stats = new GenerationStats();
        var responseId = Guid.NewGuid().ToString("N");
        await foreach (var delta in Generate(messages, options, stats, cancellationToken))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, delta)
            {
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = modelId,
            };
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(ChatOptionsMapping.ToUsage(stats))])
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = modelId,
            FinishReason = ChatOptionsMapping.ToFinishReason(stats.FinishReason),
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>The generator and its session belong to the container that built this client.</summary>
    public void Dispose()
    {
    }

    private IAsyncEnumerable<string> Generate(
        IEnumerable<ChatMessage> messages, ChatOptions? options, GenerationStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = template.Render(messages, addGenerationPrompt: true);
        // The rendered template already holds its special tokens (BOS included), as apply_chat_template assumes.
        var ids = tokenizer.Encode(prompt, addSpecialTokens: false);
        return generator.GenerateAsync(ids, ChatOptionsMapping.ToGenerationOptions(options, defaultSampling), stats, cancellationToken);
    }
}
