using Microsoft.ML.Tokenizers;
using Rag.Embedding;
using Rag.ModelForge.Encoder;
using Rag.TestSupport;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// The real <see cref="OnnxEmbeddingGenerator"/> on ModelForge's lexical encoder (random weights that keep each
/// token close to its embedding, so texts sharing content words are near), loaded once per test class as an
/// xunit class fixture and disposed after it. Chunks are counted in this model's own tokenizer.
/// </summary>
public sealed class ForgedEncoder : IDisposable
{
    public const int MaxSequenceLength = 64;

    public OnnxEmbeddingGenerator Generator { get; } = Load(seed: 1);

    public int Dimension => Generator.Dimension;

    public Tokenizer Tokenizer => Generator.Tokenizer;

    /// <summary>The chunk budget: the model's tokenizer counts without [CLS]/[SEP], so room is left for them.</summary>
    public int ChunkMaxTokens => MaxSequenceLength - Generator.SpecialTokensPerText;

    /// <summary>Another lexical encoder of the same shape (a different model id), owned by the caller.</summary>
    public static OnnxEmbeddingGenerator Load(ulong seed) => OnnxEmbeddingGenerator.Load(new EmbeddingOptions
    {
        ModelPath = ForgedModels.Encoder(new EncoderOptions(Seed: seed, Lexical: true, MaxSequenceLength: MaxSequenceLength)),
    });

    public void Dispose() => Generator.Dispose();
}
