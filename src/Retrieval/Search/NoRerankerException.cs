namespace Rag.Retrieval.Search;

/// <summary>A search asked to be reranked where no reranker is registered.</summary>
public sealed class NoRerankerException()
    : InvalidOperationException("Reranking was requested, but no reranker is configured (Reranker:ModelPath).");
