using System.Numerics.Tensors;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Search;

/// <remarks>Ranking, filters and the index are tested on vectors chosen by the test (VectorSeeder) in the forged encoder's dimension; search by text embeds with the encoder itself.</remarks>
public sealed class ChunkSearchTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    private RetrievalHarness _harness = null!;
    private VectorSeeder _seeder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _harness = new RetrievalHarness(Database, encoder);
        _seeder = new VectorSeeder(_harness.Store, encoder.Dimension);
    }

    private Task<IReadOnlyList<SearchHit>> SearchAsync(CollectionInfo collection, float[] query, SearchOptions options, string? text = null) =>
        _harness.Search.SearchAsync(collection, query, text, options);

    /// <summary>Four documents, one per tag combination, each a single chunk near its own axis.</summary>
    private async Task<CollectionInfo> TaggedDocumentsAsync()
    {
        var collection = await _seeder.CollectionAsync("tagged");
        await _seeder.AddAsync(collection, "en-guide", [("english guide", _seeder.Near(0, seed: 1))], new Dictionary<string, string> { ["lang"] = "en", ["type"] = "guide" });
        await _seeder.AddAsync(collection, "en-faq", [("english faq", _seeder.Near(0, seed: 2))], new Dictionary<string, string> { ["lang"] = "en", ["type"] = "faq" });
        await _seeder.AddAsync(collection, "fr-guide", [("french guide", _seeder.Near(0, seed: 3))], new Dictionary<string, string> { ["lang"] = "fr", ["type"] = "guide" });
        await _seeder.AddAsync(collection, "de-note", [("german note", _seeder.Near(0, seed: 4))], new Dictionary<string, string> { ["lang"] = "de" });
        return collection;
    }

    private async Task<string[]> NamesMatchingAsync(TagFilter filter)
    {
        var collection = await TaggedDocumentsAsync();
        var hits = await SearchAsync(collection, _seeder.Near(0), new SearchOptions { TopK = 10, Filter = filter, MinRelevance = -1 });
        return hits.Select(h => h.DocumentName).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task Vector_search_ranks_by_cosine_similarity_and_reports_it()
    {
        var collection = await _seeder.CollectionAsync("ranked");
        var random = new Random(11);
        var vectors = Enumerable.Range(0, 60).Select(_ => _seeder.Random(random)).ToArray();
        await _seeder.AddAsync(collection, "doc", vectors.Select((v, i) => ($"chunk {i}", v)).ToArray());
        var query = _seeder.Random(random);

        var hits = await SearchAsync(collection, query, new SearchOptions { TopK = 5, MinRelevance = -1 });

        var expected = vectors.Select((v, i) => (Text: $"chunk {i}", Similarity: TensorPrimitives.CosineSimilarity(v, query))).OrderByDescending(x => x.Similarity).Take(5).ToArray();
        Assert.Equal(expected.Select(e => e.Text), hits.Select(h => h.Text));
        Assert.All(hits.Zip(expected), pair => Assert.Equal(pair.Second.Similarity, pair.First.Score, 4));
        Assert.All(hits, h => Assert.Equal(["Section"], h.SectionPath));
    }

    [Fact]
    public async Task Min_relevance_drops_chunks_below_the_threshold()
    {
        var collection = await _seeder.CollectionAsync("threshold");
        await _seeder.AddAsync(collection, "doc", [("close", _seeder.Near(0)), ("orthogonal", _seeder.Near(5)), ("opposite", _seeder.Near(0).Select(x => -x).ToArray())]);

        var hits = await SearchAsync(collection, _seeder.Near(0, seed: 9), new SearchOptions { TopK = 10, MinRelevance = 0.5 });

        Assert.Equal(["close"], hits.Select(h => h.Text));
    }

    [Fact]
    public async Task Filter_on_one_tag_value()
    {
        Assert.Equal(["en-faq", "en-guide"], await NamesMatchingAsync(TagFilter.Tag("lang", "en")));
    }

    [Fact]
    public async Task Filter_with_and()
    {
        Assert.Equal(["en-guide"], await NamesMatchingAsync(TagFilter.And(TagFilter.Tag("lang", "en"), TagFilter.Tag("type", "guide"))));
    }

    [Fact]
    public async Task Filter_with_or()
    {
        Assert.Equal(["de-note", "fr-guide"], await NamesMatchingAsync(TagFilter.Or(TagFilter.Tag("lang", "fr"), TagFilter.Tag("lang", "de"))));
    }

    [Fact]
    public async Task Filter_with_not()
    {
        Assert.Equal(["de-note", "fr-guide"], await NamesMatchingAsync(TagFilter.Not(TagFilter.Tag("lang", "en"))));
    }

    [Fact]
    public async Task Filter_parsed_from_json_combines_operators()
    {
        var filter = TagFilterParser.Parse("""{"$or": [{"lang": ["fr", "de"], "$not": {"type": "guide"}}, {"type": "faq"}]}""");

        Assert.Equal(["de-note", "en-faq"], await NamesMatchingAsync(filter));
    }

    [Fact]
    public async Task Hnsw_index_serves_the_vector_query()
    {
        var collection = await _seeder.CollectionAsync("large");
        var random = new Random(5);
        for (var d = 0; d < 10; d++)
        {
            await _seeder.AddAsync(collection, $"doc{d}", Enumerable.Range(0, 500).Select(i => ($"d{d} c{i}", _seeder.Random(random))).ToArray());
        }
        await using (var analyze = Database.DataSource.CreateCommand("ANALYZE chunks"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        var plan = await _harness.Search.ExplainAsync(collection, _seeder.Random(random), null, new SearchOptions { TopK = 10 });

        Assert.Contains("chunks_embedding_hnsw", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_selective_filter_still_returns_k_rows()
    {
        var collection = await _seeder.CollectionAsync("selective");
        var random = new Random(8);
        // 80 common documents on the query's side, 20 wanted ones (20% of rows) on the far side:
        // the first ef_search candidates of the index contain no wanted chunk, so without an
        // iterative scan the filtered index scan would return nothing.
        for (var d = 0; d < 100; d++)
        {
            var wanted = d % 5 == 0;
            await _seeder.AddAsync(collection, wanted ? $"wanted{d}" : $"common{d}",
                Enumerable.Range(0, 100).Select(i => ($"{d}.{i}", _seeder.Random(random, bias: wanted ? -3 : 3))).ToArray(),
                new Dictionary<string, string> { ["tier"] = wanted ? "wanted" : "common" });
        }
        await using (var analyze = Database.DataSource.CreateCommand("ANALYZE chunks"))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        var query = _seeder.Random(random, bias: 3);
        var options = new SearchOptions { TopK = 10, EfSearch = 20, Filter = TagFilter.Tag("tier", "wanted"), MinRelevance = -1 };

        var hits = await SearchAsync(collection, query, options);
        var plan = await _harness.Search.ExplainAsync(collection, query, null, options);

        // The planner (on real statistics) chose the filtered HNSW scan, so the rows came from the iterative scan.
        Assert.Contains("chunks_embedding_hnsw", plan, StringComparison.Ordinal);
        Assert.Equal(10, hits.Count);
        Assert.All(hits, h => Assert.StartsWith("wanted", h.DocumentName, StringComparison.Ordinal));
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.ChunkId), hits.Select(h => h.ChunkId));
    }

    [Fact]
    public async Task Hybrid_ranks_an_exact_keyword_match_first()
    {
        var collection = await _seeder.CollectionAsync("hybrid");
        var chunks = Enumerable.Range(0, 12).Select(i => ($"General notes about power supplies, part {i}.", _seeder.Near(0, noise: 0.3f, seed: i))).ToList();
        chunks.Add(("Error code ZX-4432 means the primary fuse has blown.", _seeder.Near(7, seed: 99)));
        await _seeder.AddAsync(collection, "manual", chunks);
        var query = _seeder.Near(0, seed: 100);

        // Not every word of the question is in the chunk ("indicate"): any matching word counts.
        const string question = "what does ZX-4432 indicate";
        var vectorOnly = await SearchAsync(collection, query, new SearchOptions { TopK = 5, MinRelevance = -1 }, question);
        var hybrid = await SearchAsync(collection, query, new SearchOptions { TopK = 5, Mode = SearchMode.Hybrid, MinRelevance = -1 }, question);

        Assert.DoesNotContain(vectorOnly, h => h.Text.Contains("ZX-4432", StringComparison.Ordinal));
        Assert.Contains("ZX-4432", hybrid[0].Text, StringComparison.Ordinal);
        Assert.True(hybrid[0].Score > hybrid[1].Score);
    }

    [Fact]
    public async Task Hybrid_keeps_web_search_syntax_when_the_query_uses_it()
    {
        var collection = await _seeder.CollectionAsync("syntax");
        await _seeder.AddAsync(collection, "manual", [
            ("The red pump needs oil monthly.", _seeder.Near(1, seed: 1)),
            ("The blue pump needs no oil.", _seeder.Near(2, seed: 2)),
            ("Pumps are described elsewhere.", _seeder.Near(3, seed: 3))]);
        var options = new SearchOptions { TopK = 3, Mode = SearchMode.Hybrid, MinRelevance = 2 };

        // MinRelevance above 1 silences the vector ranking, leaving the full-text one alone.
        var phrase = await SearchAsync(collection, _seeder.Near(0), options, "\"red pump\"");
        var negated = await SearchAsync(collection, _seeder.Near(0), options, "pump oil -blue");

        Assert.Equal(["The red pump needs oil monthly."], phrase.Select(h => h.Text));
        Assert.Equal(["The red pump needs oil monthly."], negated.Select(h => h.Text));
    }

    [Fact]
    public async Task No_search_crosses_collections()
    {
        var mine = await _seeder.CollectionAsync("mine");
        var theirs = await _seeder.CollectionAsync("theirs");
        await _seeder.AddAsync(mine, "my-doc", [("my secret keyword", _seeder.Near(3, seed: 1))]);
        await _seeder.AddAsync(theirs, "their-doc", [("their secret keyword", _seeder.Near(3, seed: 2))]);

        var vector = await SearchAsync(mine, _seeder.Near(3), new SearchOptions { TopK = 10, MinRelevance = -1 });
        var hybrid = await SearchAsync(mine, _seeder.Near(3), new SearchOptions { TopK = 10, Mode = SearchMode.Hybrid, MinRelevance = -1 }, "secret keyword");

        Assert.Equal(["my-doc"], vector.Select(h => h.DocumentName));
        Assert.Equal(["my-doc"], hybrid.Select(h => h.DocumentName));
    }

    [Fact]
    public async Task Search_by_text_embeds_the_query_and_finds_the_matching_document()
    {
        await _harness.IngestTextAsync("pets.txt", "Cats purr and dogs bark loudly.", collection: "text");
        await _harness.IngestTextAsync("space.txt", "Rockets orbit planets and moons.", collection: "text");

        var result = await _harness.Search.SearchAsync(new SearchRequest("why do dogs bark") { Collection = "text", TopK = 1, MinRelevance = 0 });

        Assert.Equal("pets.txt", Assert.Single(result.Hits).DocumentName);
    }

    [Fact]
    public async Task Searching_a_missing_collection_finds_nothing()
    {
        var result = await _harness.Search.SearchAsync(new SearchRequest("anything") { Collection = "nope" });

        Assert.Empty(result.Hits);
    }
}
