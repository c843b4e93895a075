namespace Rag.Llm.Serving;

/// <summary>The generation queue is full; callers should answer 503/429 and retry later.</summary>
public sealed class LlmBusyException : Exception
{
    public LlmBusyException()
    {
    }

    public LlmBusyException(string message) : base(message)
    {
    }

    public LlmBusyException(string message, Exception inner) : base(message, inner)
    {
    }
}
