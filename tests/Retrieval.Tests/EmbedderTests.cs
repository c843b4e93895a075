using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests;

public sealed class EmbedderTests(ForgedEncoder encoder) : IClassFixture<ForgedEncoder>
{
    [Fact]
    public async Task A_generator_that_reports_no_dimension_is_probed_once()
    {
        var generator = new NoDimensionGenerator(encoder.Generator);
        var embedder = new Embedder(generator, batchSize: 8);

        var first = await embedder.GetModelAsync();
        var second = await embedder.GetModelAsync();

        Assert.Equal(new Rag.Retrieval.Storage.EmbeddingModelInfo(encoder.Generator.ModelId, encoder.Dimension), first);
        Assert.Same(first, second);
        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task Texts_are_embedded_in_batches_in_order()
    {
        var generator = new CountingEmbeddingGenerator(encoder.Generator);
        var embedder = new Embedder(generator, batchSize: 3);
        var texts = Enumerable.Range(0, 8).Select(i => $"text number {i} word{i}").ToArray();

        var vectors = new List<float[]>();
        await foreach (var vector in embedder.EmbedAsync(texts, new Stopwatch()))
        {
            vectors.Add(vector.ToArray());
        }

        Assert.Equal(3, generator.Calls);
        Assert.Equal(texts.Length, vectors.Count);
        // Each text embedded alone gives its vector back (batched padding changes only rounding).
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = (await encoder.Generator.GenerateVectorAsync(texts[i])).ToArray();
            Assert.Equal(1, TensorPrimitives.CosineSimilarity(alone, vectors[i]), 4);
            Assert.All(Enumerable.Range(0, texts.Length).Where(j => j != i), j => Assert.True(TensorPrimitives.CosineSimilarity(alone, vectors[j]) < 0.9999, $"text {i} matches vector {j}"));
        }
    }

    /// <summary>The real model, but with metadata that leaves the dimension out, as some generators do.</summary>
    private sealed class NoDimensionGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : CountingEmbeddingGenerator(inner)
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata)
                ? new EmbeddingGeneratorMetadata("onnxruntime", null, ((EmbeddingGeneratorMetadata)base.GetService(serviceType, serviceKey)!).DefaultModelId)
                : null;
    }
}
