namespace Rag.Eval.Client;

/// <summary>How the service is asked to retrieve: its two search modes, and hybrid candidates reordered by its reranker.</summary>
public enum RetrievalMode
{
    Vector,
    Hybrid,
    Reranked,
}
