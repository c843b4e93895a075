using Rag.Embedding.Reranking;
using Rag.Retrieval.Search;

namespace Rag.Api.Hosting;

/// <summary>The Embedding library's cross-encoder as the reranker Retrieval asks for (Retrieval knows no concrete model).</summary>
internal sealed class CrossEncoderReranker(OnnxReranker model) : IPassageReranker
{
    public string ModelId => model.ModelId;

    public async Task<IReadOnlyList<float>> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken = default) =>
        await model.ScoreAsync(query, passages, cancellationToken);
}
