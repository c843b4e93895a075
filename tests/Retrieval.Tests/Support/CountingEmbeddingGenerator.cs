using Microsoft.Extensions.AI;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// Passes every call to a real generator and counts the calls that got through, so tests can see how often the
/// pipeline embedded. Does not dispose the inner generator: that is the test fixture's.
/// </summary>
public class CountingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    public int Calls => _calls;

    public virtual async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.GenerateAsync(values, options, cancellationToken);
        Interlocked.Increment(ref _calls);
        return result;
    }

    public virtual object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType.IsInstanceOfType(this) ? this : inner.GetService(serviceType, serviceKey);

    public void Dispose() => GC.SuppressFinalize(this);
}
