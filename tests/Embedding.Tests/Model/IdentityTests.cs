using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using System.Security.Cryptography;
using Rag.ModelForge.Encoder;
using Rag.TestSupport;

namespace Rag.Embedding.Tests.Model;

public class IdentityTests
{
    private static string Hash(OnnxEmbeddingGenerator g) => g.ModelId[g.ModelId.IndexOf('@', StringComparison.Ordinal)..];

    private static string FileHash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

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

        Assert.Equal(Hash(original), Hash(sameWeights));
        Assert.NotEqual(Hash(original), Hash(otherWeights));
    }

    private static string ExternalData(ulong seed) => ForgedModels.Encoder(new EncoderOptions(Seed: seed, ForceExternalData: true));

    /// <summary>The graph of seed 1 over the external weights of <paramref name="weightsSeed"/> (same shapes, same offsets).</summary>
    private static string Graph1With(ulong weightsSeed, string dataFileName) =>
        EncoderFolders.Variant(ExternalData(1), $"external-{weightsSeed}-{dataFileName}", dir =>
        {
            var graph = Path.Combine(dir, "onnx", "model.onnx");
            File.Delete(Path.Combine(dir, "onnx", "model.onnx_data"));
            File.Copy(Path.Combine(ExternalData(weightsSeed), "onnx", "model.onnx_data"), Path.Combine(dir, "onnx", dataFileName));
            // Same length, so the protobuf lengths around the location stay right.
            var bytes = File.ReadAllBytes(graph);
            var from = "model.onnx_data"u8.ToArray();
            var to = System.Text.Encoding.UTF8.GetBytes(dataFileName);
            Assert.Equal(from.Length, to.Length);
            for (var at = bytes.AsSpan().IndexOf(from); at >= 0; at = Next(bytes, from, at + from.Length))
            {
                to.CopyTo(bytes, at);
            }
            File.WriteAllBytes(graph, bytes);
        });

    private static int Next(byte[] bytes, byte[] pattern, int start) =>
        bytes.AsSpan(start).IndexOf(pattern) is var at and >= 0 ? start + at : -1;

    [Theory]
    [InlineData("model.onnx_data")]
    [InlineData("other.onnx_data")]
    public async Task Weights_in_an_external_data_file_count_in_the_id(string dataFileName)
    {
        using var ownWeights = EncoderFolders.Open(Graph1With(1, dataFileName));
        using var otherWeights = EncoderFolders.Open(Graph1With(2, dataFileName));

        Assert.Equal(
            FileHash(Path.Combine(Graph1With(1, dataFileName), "onnx", "model.onnx")),
            FileHash(Path.Combine(Graph1With(2, dataFileName), "onnx", "model.onnx")));
        Assert.NotEqual(Hash(ownWeights), Hash(otherWeights));
        var text = TestTexts.Varied(1)[0];
        var own = await Embed(ownWeights, text);
        var other = await Embed(otherWeights, text);
        Assert.True(VectorAssert.MaxAbsDiff(own, other) > 1e-3f, "the weights are really different");
    }

    private static async Task<float[]> Embed(OnnxEmbeddingGenerator generator, string text) =>
        (await generator.GenerateAsync([text]))[0].Vector.ToArray();

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
