using Microsoft.Extensions.AI;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// Embeds the first <paramref name="succeedingCalls"/> batches with the real generator, then throws: a failure
/// injected mid-ingestion.
/// </summary>
public sealed class FailingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, int succeedingCalls) : CountingEmbeddingGenerator(inner)
{
    public int Attempts { get; private set; }

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Attempts++;
        if (Calls >= succeedingCalls)
        {
            throw new InvalidOperationException("injected embedding failure");
        }
        return base.GenerateAsync(values, options, cancellationToken);
    }
}
