using Microsoft.Extensions.AI;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// A deterministic bag-of-words embedder for tests of the ingestion and answering flows, where the
/// vectors only need to be stable and to make texts sharing words similar: each lower-cased word
/// adds 1 to a hashed dimension, then the vector is L2-normalised. Search ranking itself is tested
/// with explicit vectors (ChunkSearchTests). Counts its calls so tests can inject failures.
/// </summary>
public class LexicalEmbeddingGenerator(int dimension = 64, string modelId = "test-lexical-64") : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    public int Dimension { get; } = dimension;

    public int Calls => _calls;

    public virtual Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            embeddings.Add(new Embedding<float>(Embed(value)));
        }
        return Task.FromResult(embeddings);
    }

    public float[] Embed(string text)
    {
        var vector = new float[Dimension];
        foreach (var word in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = word.Trim('.', ',', '?', '!', ':', ';', '"', '\'', '(', ')', '[', ']');
            if (trimmed.Length > 0)
            {
                vector[(int)(Fnv1a(trimmed) % (uint)Dimension)] += 1;
            }
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm == 0)
        {
            vector[0] = 1;
            return vector;
        }
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }
        return vector;
    }

    public virtual object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, modelId, Dimension)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => GC.SuppressFinalize(this);

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
