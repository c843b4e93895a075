using Microsoft.Extensions.AI;

namespace Rag.Llm.Serving;

/// <summary>Turns a conversation into the prompt text the model was trained on (its chat template).</summary>
public interface IPromptRenderer
{
    string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);
}
