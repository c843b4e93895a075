using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Rag.Retrieval.Search;

namespace Rag.Api.Contracts.Rag;

/// <summary>The retrieval fields search, ask and grounded chat share; unset values come from <c>RetrievalOptions</c>.</summary>
public interface IRetrievalFields
{
    int? TopK { get; }

    double? MinScore { get; }

    JsonElement? Filter { get; }

    SearchMode Mode { get; }

    bool? Rerank { get; }
}

/// <summary>How passages are retrieved, shared by search and ask; unset values come from <c>RetrievalOptions</c>.</summary>
public abstract record RetrievalRequest : IRetrievalFields
{
    [Range(1, 100)]
    public int? TopK { get; init; }

    /// <summary>Minimum cosine similarity of a passage.</summary>
    [Range(-1.0, 1.0)]
    public double? MinScore { get; init; }

    /// <summary>Tag filter, e.g. <c>{"lang": "en"}</c> or <c>{"$or": [{"team": "a"}, {"team": "b"}]}</c>.</summary>
    public JsonElement? Filter { get; init; }

    public SearchMode Mode { get; init; } = SearchMode.Vector;

    /// <summary>Reorder the nearest passages with the cross-encoder (Reranker:ModelPath); unset: whenever one is configured.</summary>
    public bool? Rerank { get; init; }
}

public sealed record SearchRequestDto : RetrievalRequest
{
    [Required(AllowEmptyStrings = false)]
    public string? Query { get; init; }
}

/// <param name="RerankMs">Time the reranker took; null when the search was not reranked.</param>
public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, double EmbedMs, double SearchMs, double? RerankMs);
