using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Rag.Embedding.Tests.Model;

public class IdentityTests
{
    [Fact]
    public void Metadata_reports_the_dimension_and_an_id_naming_the_folder_and_hashing_the_weights()
    {
        using var generator = EncoderFolders.Open(EncoderFolders.Mean);

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(generator.Dimension, metadata.DefaultModelDimensions);
        Assert.Equal(generator.ModelId, metadata.DefaultModelId);
        Assert.Equal(ReferenceEncoder.HiddenSize(EncoderFolders.Mean), generator.Dimension);
        Assert.StartsWith(Path.GetFileName(EncoderFolders.Mean) + "@sha256:", generator.ModelId, StringComparison.Ordinal);
    }

    [Fact]
    public void The_id_follows_the_weights_not_the_configuration()
    {
        var copy = EncoderFolders.Variant(EncoderFolders.Mean, "same-weights", _ => { });
        using var original = EncoderFolders.Open(EncoderFolders.Mean);
        using var sameWeights = EncoderFolders.Open(copy);
        using var otherWeights = EncoderFolders.Open(EncoderFolders.OtherSeed);

        string Hash(OnnxEmbeddingGenerator g) => g.ModelId[g.ModelId.IndexOf('@', StringComparison.Ordinal)..];
        Assert.Equal(Hash(original), Hash(sameWeights));
        Assert.NotEqual(Hash(original), Hash(otherWeights));
    }

    [Fact]
    public void The_models_tokenizer_is_handed_out_for_counting_chunks()
    {
        using var generator = EncoderFolders.Open(EncoderFolders.Mean);
        IEmbeddingGenerator<string, Embedding<float>> abstraction = generator;

        var tokenizer = abstraction.GetService<Tokenizer>();

        Assert.NotNull(tokenizer);
        var text = TestTexts.Varied(2)[1];
        Assert.Equal(tokenizer.CountTokens(text) + generator.SpecialTokensPerText, generator.CountTokens(text));
        Assert.Equal(2, generator.SpecialTokensPerText);
    }
}
