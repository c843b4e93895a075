using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval;

/// <summary>
/// Retrieval's view of whatever <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> the host
/// registered: which model it is (recorded per collection) and batched generation with timing.
/// </summary>
public sealed class Embedder(IEmbeddingGenerator<string, Embedding<float>> generator, int batchSize)
{
    private static readonly EmbeddingGenerationOptions QueryOptions = new() { AdditionalProperties = new() { ["input_type"] = "query" } };

    private EmbeddingModelInfo? _model;

    public IEmbeddingGenerator<string, Embedding<float>> Generator { get; } = generator;

    /// <summary>The model's id and dimension from the generator's metadata, probed once when it reports no dimension.</summary>
    public async ValueTask<EmbeddingModelInfo> GetModelAsync(CancellationToken cancellationToken = default)
    {
        if (_model is not null)
        {
            return _model;
        }
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();
        var id = metadata?.DefaultModelId ?? metadata?.ProviderName
            ?? throw new InvalidOperationException("The embedding generator reports no model id (EmbeddingGeneratorMetadata.DefaultModelId); collections record it to refuse mixing models.");
        var dimension = metadata?.DefaultModelDimensions
            ?? (await Generator.GenerateAsync(["dimension probe"], cancellationToken: cancellationToken))[0].Vector.Length;
        return _model = new EmbeddingModelInfo(id, dimension);
    }

    /// <summary>
    /// Embeds a search query. Asymmetric models (e5, bge) want a query prefix: the request says
    /// "query" under the <c>input_type</c> key, which generators that have no such notion ignore.
    /// </summary>
    public async Task<ReadOnlyMemory<float>> EmbedQueryAsync(string text, CancellationToken cancellationToken = default) =>
        (await Generator.GenerateAsync([text], QueryOptions, cancellationToken))[0].Vector;

    /// <summary>
    /// Embeds <paramref name="texts"/> in batches, yielding vectors in order as each batch completes;
    /// time spent inside the generator is added to <paramref name="elapsed"/>.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<float>> EmbedAsync(
        IReadOnlyList<string> texts, Stopwatch elapsed, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(elapsed);
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var batch = new string[Math.Min(batchSize, texts.Count - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = texts[start + i];
            }
            elapsed.Start();
            var embeddings = await Generator.GenerateAsync(batch, cancellationToken: cancellationToken);
            elapsed.Stop();
            if (embeddings.Count != batch.Length)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {batch.Length} inputs.");
            }
            foreach (var embedding in embeddings)
            {
                yield return embedding.Vector;
            }
        }
    }
}
