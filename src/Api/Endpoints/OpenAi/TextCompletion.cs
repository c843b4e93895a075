using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Rag.Llm.Generation;
using Rag.Llm.Serving;

namespace Rag.Api.Endpoints.OpenAi;

/// <summary>
/// <c>/v1/completions</c>: the prompt goes to the model as is — no chat template — tokenized exactly as its
/// tokenizer does (special tokens only where the tokenizer's post-processor adds them), shaped as chat updates
/// so streaming, usage and metrics work as for chat.
/// </summary>
internal static class TextCompletion
{
    public static async IAsyncEnumerable<ChatResponseUpdate> GenerateAsync(
        LlmModel model, string prompt, ChatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ids = model.Tokenizer.Encode(prompt, addSpecialTokens: true);
        var stats = new GenerationStats();
        var generation = ChatOptionsMapping.ToGenerationOptions(options, model.Folder.Config.DefaultSampling);
        await foreach (var text in model.Generator.GenerateAsync(ids, generation, stats, cancellationToken))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, text);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(ChatOptionsMapping.ToUsage(stats))])
        {
            FinishReason = ChatOptionsMapping.ToFinishReason(stats.FinishReason),
        };
    }
}
