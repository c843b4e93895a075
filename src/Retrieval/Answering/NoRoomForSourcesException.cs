namespace Rag.Retrieval.Answering;

/// <summary>
/// Passages were found, but the instructions, the question and the room kept for the answer leave none of them space
/// in the LLM's context window: answering would only pretend that nothing relevant exists.
/// </summary>
public sealed class NoRoomForSourcesException(int contextTokens, int answerTokens)
    : Exception($"The LLM's context window of {contextTokens} tokens, with {answerTokens} kept for the answer, has no room " +
        "left for any retrieved passage beside the instructions and the question: shorten them, or ask for a shorter answer.")
{
    public int ContextTokens { get; } = contextTokens;

    public int AnswerTokens { get; } = answerTokens;
}
