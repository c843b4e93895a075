using Rag.Retrieval.Search;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// A reranker whose scores come from a rule the test states, recording what it was asked. The real cross-encoder is
/// tested in Embedding.Tests and through the service in Api.Tests; here what matters is what search does with scores.
/// </summary>
public sealed class ScriptedReranker(Func<string, float> score) : IPassageReranker
{
    public string ModelId => "scripted-reranker";

    public IReadOnlyList<string> LastPassages { get; private set; } = [];

    public Task<IReadOnlyList<float>> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken = default)
    {
        LastPassages = passages;
        return Task.FromResult<IReadOnlyList<float>>([.. passages.Select(score)]);
    }
}
