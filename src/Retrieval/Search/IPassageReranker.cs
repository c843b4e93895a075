namespace Rag.Retrieval.Search;

/// <summary>
/// Scores passages against a query, higher meaning more relevant: a cross-encoder, which reads query and passage
/// together and so ranks better than comparing two separately made vectors. When the host registers one, searches
/// rerank their nearest chunks with it.
/// </summary>
public interface IPassageReranker
{
    /// <summary>Which model scores, as <c>/v1/models</c> names it.</summary>
    string ModelId { get; }

    /// <summary>One score per passage, in the passages' order.</summary>
    Task<IReadOnlyList<float>> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken = default);
}
