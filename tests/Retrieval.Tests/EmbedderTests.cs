using System.Diagnostics;
using Microsoft.Extensions.AI;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests;

public sealed class EmbedderTests
{
    [Fact]
    public async Task A_generator_that_reports_no_dimension_is_probed_once()
    {
        var generator = new NoDimensionGenerator();
        var embedder = new Embedder(generator, batchSize: 8);

        var first = await embedder.GetModelAsync();
        var second = await embedder.GetModelAsync();

        Assert.Equal(new Rag.Retrieval.Storage.EmbeddingModelInfo("no-dimension", 64), first);
        Assert.Same(first, second);
        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task Texts_are_embedded_in_batches_in_order()
    {
        var generator = new LexicalEmbeddingGenerator();
        var embedder = new Embedder(generator, batchSize: 3);
        var texts = Enumerable.Range(0, 8).Select(i => $"text number {i} word{i}").ToArray();

        var vectors = new List<float[]>();
        await foreach (var vector in embedder.EmbedAsync(texts, new Stopwatch()))
        {
            vectors.Add(vector.ToArray());
        }

        Assert.Equal(3, generator.Calls);
        Assert.Equal(texts.Select(generator.Embed), vectors);
    }

    private sealed class NoDimensionGenerator() : LexicalEmbeddingGenerator(64, "no-dimension")
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "no-dimension") : null;
    }
}
