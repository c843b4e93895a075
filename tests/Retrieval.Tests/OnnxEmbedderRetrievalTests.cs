using Rag.Embedding;
using Rag.Retrieval.Search;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests;

/// <summary>
/// Ingestion, search and answering with the real <see cref="OnnxEmbeddingGenerator"/> on ModelForge's lexical
/// encoder (random weights that keep each token close to its embedding, so texts sharing words are near),
/// chunked in that model's own tokens.
/// </summary>
public sealed class OnnxEmbedderRetrievalTests(ForgedEncoder encoder) : IAsyncLifetime, IClassFixture<ForgedEncoder>, IDisposable
{
    private const int MaxSequenceLength = ForgedEncoder.MaxSequenceLength;
    private readonly OnnxEmbeddingGenerator _generator = encoder.Generator;
    private readonly ScriptedChatClient _chat = new("Dogs enjoy long walks in the park [1].");
    private RetrievalDatabase _database = null!;
    private RetrievalHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _database = await RetrievalDatabase.CreateAsync(_generator.Dimension);
        var settings = new RetrievalOptions { ChunkMaxTokens = encoder.ChunkMaxTokens, ChunkOverlapTokens = 6, MinRelevance = 0 };
        _harness = new RetrievalHarness(_database, encoder, chat: _chat, settings: settings);
        await _harness.IngestTextAsync("animals.txt",
            "Cats are small animals that sleep for most of the day. Dogs are friendly and loyal; they enjoy long walks in the park, playing with a ball and running after sticks.");
        await _harness.IngestTextAsync("weather.txt",
            "The weather today is cold and windy, with rain expected in the afternoon. In winter the mountains are covered with snow and people go skiing.");
        await _harness.IngestTextAsync("soup.md", "# Soup\n\n" + string.Join("\n\n", Enumerable.Repeat(
            "To cook a simple soup, cut two onions, three carrots and a potato into small pieces. Heat some oil in a pot, add the vegetables and stir for five minutes.", 4)));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task Chunks_fit_the_models_sequence_length_so_nothing_is_truncated()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT text FROM chunks");
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string>();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }

        Assert.True(texts.Count >= 4, "the repeated soup recipe needs several 64-token chunks");
        Assert.All(texts, t => Assert.InRange(_generator.CountTokens(t), 1, MaxSequenceLength));
    }

    [Fact]
    public async Task A_question_finds_the_document_that_shares_its_words()
    {
        var result = await _harness.Search.SearchAsync(new SearchRequest("do dogs enjoy walks in the park") { TopK = 2 });

        Assert.Equal("animals.txt", result.Hits[0].DocumentName);
        Assert.True(result.Hits[0].Score > result.Hits[1].Score);
    }

    [Fact]
    public async Task The_collection_records_the_onnx_model_and_its_dimension()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT embedding_model, embedding_dimension FROM collections WHERE name = 'default'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(_generator.ModelId, reader.GetString(0));
        Assert.Equal(_generator.Dimension, reader.GetInt32(1));
    }

    [Fact]
    public async Task An_answer_cites_the_retrieved_chunk_it_was_given_as_source_one()
    {
        var answer = await _harness.Answerer.AskAsync(new SearchRequest("where do dogs enjoy long walks") { TopK = 3 });

        var citation = Assert.Single(answer.Citations);
        Assert.Equal("animals.txt", citation.DocumentName);
        Assert.Equal(answer.Sources.Single(s => s.Number == 1).Hit.ChunkId, citation.ChunkId);
    }
}
