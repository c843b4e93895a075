using Rag.Retrieval.Answering;
using Rag.Retrieval.Search;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Search;

public sealed class RerankTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    private static readonly string[] Topics = ["volcano", "glacier", "desert", "forest", "river", "ocean", "meadow", "canyon"];

    // Scores a passage by the topic it is about: the glacier one wins whatever the vectors thought.
    private static float GlacierFirst(string passage) =>
        passage.Contains("glacier", StringComparison.Ordinal) ? 0.99f : 0.5f - (0.01f * Array.FindIndex(Topics, t => passage.Contains(t, StringComparison.Ordinal)));

    private async Task<RetrievalHarness> SeededAsync(IPassageReranker? reranker, RetrievalOptions? settings = null)
    {
        var harness = new RetrievalHarness(Database, encoder, settings: settings, reranker: reranker, chat: new ScriptedChatClient("See [1]."));
        foreach (var topic in Topics)
        {
            await harness.IngestTextAsync($"{topic}.md", $"The {topic} and the volcano: notes about the {topic}.");
        }
        return harness;
    }

    [Fact]
    public async Task A_reranker_reorders_the_nearest_chunks_and_keeps_the_top_k()
    {
        var reranker = new ScriptedReranker(GlacierFirst);
        var harness = await SeededAsync(reranker);
        var plain = await new RetrievalHarness(Database, encoder).Search.SearchAsync(new SearchRequest("volcano") { TopK = 3, MinRelevance = -1 });

        var result = await harness.Search.SearchAsync(new SearchRequest("volcano") { TopK = 3, MinRelevance = -1 });

        Assert.NotEqual("glacier.md", plain.Hits[0].DocumentName);
        Assert.Equal(3, result.Hits.Count);
        Assert.Equal("glacier.md", result.Hits[0].DocumentName);
        Assert.Equal(0.99, result.Hits[0].Score, 5);
        Assert.Equal(result.Hits.Select(h => h.Score).OrderDescending(), result.Hits.Select(h => h.Score));
        Assert.All(result.Hits, h => Assert.NotNull(h.Relevance));
        // It saw every candidate, not only the three kept: all eight chunks (fewer than RerankCandidates exist).
        Assert.Equal(Topics.Length, reranker.LastPassages.Count);
        Assert.NotNull(result.RerankTime);
    }

    [Fact]
    public async Task Candidates_are_capped_by_rerank_candidates_and_rerank_false_keeps_the_first_stage_order()
    {
        var reranker = new ScriptedReranker(GlacierFirst);
        var settings = RetrievalHarness.DefaultSettings(encoder);
        settings.RerankCandidates = 5;
        var harness = await SeededAsync(reranker, settings);
        var plain = await new RetrievalHarness(Database, encoder).Search.SearchAsync(new SearchRequest("volcano") { TopK = 2, MinRelevance = -1 });

        await harness.Search.SearchAsync(new SearchRequest("volcano") { TopK = 2, MinRelevance = -1 });
        var candidates = reranker.LastPassages.Count;
        var notReranked = await harness.Search.SearchAsync(new SearchRequest("volcano") { TopK = 2, MinRelevance = -1, Rerank = false });

        Assert.Equal(5, candidates);
        Assert.Equal(plain.Hits.Select(h => h.ChunkId), notReranked.Hits.Select(h => h.ChunkId));
        Assert.Null(notReranked.RerankTime);
    }

    [Fact]
    public async Task Answers_are_grounded_on_the_reranked_passages()
    {
        var harness = await SeededAsync(new ScriptedReranker(GlacierFirst));

        var answer = await harness.Answerer.AskAsync(new SearchRequest("volcano") { TopK = 3, MinRelevance = -1 });

        Assert.Equal("glacier.md", Assert.Single(answer.Citations).DocumentName);
    }
}
