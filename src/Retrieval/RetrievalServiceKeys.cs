namespace Rag.Retrieval;

/// <summary>
/// Keys of the two <see cref="Microsoft.ML.Tokenizers.Tokenizer"/> services the host registers:
/// chunks are counted in the embedder's tokens, prompts in the LLM's.
/// </summary>
public static class RetrievalServiceKeys
{
    public const string EmbeddingTokenizer = "Rag.Retrieval.EmbeddingTokenizer";
    public const string ChatTokenizer = "Rag.Retrieval.ChatTokenizer";
}
