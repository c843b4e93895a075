namespace Rag.Llm.Generation;

public enum FinishReason
{
    /// <summary>The model produced one of its end-of-sequence tokens.</summary>
    EndOfSequence,
    /// <summary>A stop string was generated.</summary>
    StopSequence,
    /// <summary>MaxNewTokens or the context window was reached.</summary>
    Length,
    Cancelled,
}
