using Microsoft.Extensions.AI;

namespace Rag.Embedding.Tests.Model;

public class PrefixTests
{
    private const string Question = "where do horses live";

    private static EmbeddingGenerationOptions As(string inputType) => new() { AdditionalProperties = new() { ["input_type"] = inputType } };

    private static async Task<float[]> Embed(OnnxEmbeddingGenerator generator, string text, EmbeddingGenerationOptions? options = null) =>
        (await generator.GenerateAsync([text], options))[0].Vector.ToArray();

    [Fact]
    public async Task Configured_query_and_passage_prefixes_are_prepended_by_input_type()
    {
        using var prefixed = EncoderFolders.Open(EncoderFolders.Mean, o => (o.QueryPrefix, o.PassagePrefix) = ("query: ", "passage: "));
        using var plain = EncoderFolders.Open(EncoderFolders.Mean);

        var query = await Embed(prefixed, Question, As("query"));
        var passage = await Embed(prefixed, Question, As("passage"));
        var unspecified = await Embed(prefixed, Question);
        var explicitQuery = (await prefixed.GenerateAsync([Question], EmbeddingInputType.Query))[0].Vector.ToArray();
        var plainQuery = await Embed(plain, "query: " + Question);
        var plainPassage = await Embed(plain, "passage: " + Question);
        var bare = await Embed(plain, Question);

        VectorAssert.Close(plainQuery, query);
        VectorAssert.Close(plainQuery, explicitQuery);
        VectorAssert.Close(plainPassage, passage);
        VectorAssert.Close(plainPassage, unspecified);
        Assert.True(VectorAssert.MaxAbsDiff(bare, query) > 1e-3f);
    }

    [Fact]
    public async Task Prompts_shipped_in_config_sentence_transformers_are_used_when_none_are_configured()
    {
        var folder = EncoderFolders.Variant(EncoderFolders.Mean, "prompts", dir => File.WriteAllText(
            Path.Combine(dir, "config_sentence_transformers.json"),
            """{ "prompts": { "query": "Represent this sentence for searching relevant passages: " } }"""));
        using var withPrompts = EncoderFolders.Open(folder);
        using var plain = EncoderFolders.Open(EncoderFolders.Mean);

        var expectedQuery = await Embed(plain, "Represent this sentence for searching relevant passages: " + Question);
        var expectedPassage = await Embed(plain, Question);
        var query = await Embed(withPrompts, Question, As("query"));
        var passage = await Embed(withPrompts, Question, As("document"));

        VectorAssert.Close(expectedQuery, query);
        VectorAssert.Close(expectedPassage, passage);
    }

    [Fact]
    public async Task An_unknown_input_type_is_refused()
    {
        using var generator = EncoderFolders.Open(EncoderFolders.Mean);

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([Question], As("question")));
    }
}
