namespace Rag.Retrieval.Search;

public enum SearchMode
{
    /// <summary>Cosine nearest chunks through the HNSW index.</summary>
    Vector,
    /// <summary>Vector ranking fused with full-text ranking by reciprocal rank fusion.</summary>
    Hybrid,
}

/// <summary>A search in one collection; unset values come from <see cref="RetrievalOptions"/>.</summary>
public sealed record SearchRequest(string Query)
{
    public string? Collection { get; init; }

    public int? TopK { get; init; }

    public SearchMode Mode { get; init; } = SearchMode.Vector;

    public TagFilter? Filter { get; init; }

    public double? MinRelevance { get; init; }

    public int? EfSearch { get; init; }

    /// <summary>Rerank with the registered <see cref="IPassageReranker"/>; null reranks when there is one.</summary>
    public bool? Rerank { get; init; }
}

/// <summary>Resolved search parameters.</summary>
public sealed record SearchOptions
{
    public int TopK { get; init; } = 5;

    public SearchMode Mode { get; init; } = SearchMode.Vector;

    public TagFilter? Filter { get; init; }

    /// <summary>Minimum cosine similarity; in hybrid mode it applies to the vector ranking only.</summary>
    public double MinRelevance { get; init; }

    public int EfSearch { get; init; } = 40;
}

/// <summary>
/// One retrieved chunk. <see cref="Score"/> orders the hits: the reranker's score when the search was reranked,
/// else cosine similarity in vector mode and the fused RRF score in hybrid mode; <see cref="Relevance"/> is the
/// cosine similarity when the chunk was among the vector candidates.
/// </summary>
public sealed record SearchHit(
    long ChunkId,
    Guid DocumentId,
    string DocumentName,
    int Ordinal,
    string Text,
    double Score,
    double? Relevance,
    IReadOnlyList<string> SectionPath,
    int? Page,
    int StartOffset,
    int EndOffset,
    IReadOnlyDictionary<string, string> Tags);

public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, TimeSpan EmbedTime, TimeSpan SearchTime)
{
    /// <summary>Time spent reranking; null when the search was not reranked.</summary>
    public TimeSpan? RerankTime { get; init; }
}
