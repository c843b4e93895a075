namespace Rag.Llm.Generation;

/// <summary>The prompt does not fit the context window and the caller did not allow truncation.</summary>
public sealed class PromptTooLongException : Exception
{
    public PromptTooLongException()
    {
    }

    public PromptTooLongException(string message) : base(message)
    {
    }

    public PromptTooLongException(string message, Exception inner) : base(message, inner)
    {
    }

    public PromptTooLongException(int promptTokens, int contextLength)
        : base($"The prompt has {promptTokens} tokens; the context window holds {contextLength} including at least one " +
               "generated token. Shorten the prompt or allow truncation.")
    {
        PromptTokens = promptTokens;
        ContextLength = contextLength;
    }

    public int PromptTokens { get; }
    public int ContextLength { get; }
}
