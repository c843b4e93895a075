using Npgsql;
using Pgvector;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Search;

/// <summary>
/// The hybrid query was rewritten for speed (issue 12): the GIN index serves the full-text side, and when enough chunks
/// hold two of a plain question's lexemes only those are ranked. Its results must be exactly those of ranking every
/// matching chunk: <see cref="ReferenceSql"/> is that query, run here as the oracle.
/// </summary>
public sealed class HybridRankingTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    private static readonly string[] Words =
    [
        "backup", "restore", "archive", "wal", "replica", "standby", "vacuum", "index", "query", "planner", "lock", "deadlock",
        "checkpoint", "memory", "sort", "hash", "join", "table", "partition", "trigger", "role", "grant", "schema", "collation",
        "pg_dump", "work_mem", "server", "client", "connection", "password", "certificate", "statistics", "analyze", "cost",
    ];

    private static readonly string[] Questions =
    [
        "how do I restore a backup from the archive",
        "which setting controls sort memory work_mem",
        "pg_dump backup of one table",
        "deadlock between two lock holders",
        "standby replica replaying wal after a checkpoint",
        "\"index query\"",
        "planner cost -hash",
        "grant or role",
        "partition trigger schema collation statistics analyze",
        "nothing here matches zebra",
        "vacuum",
        "the",
        @"O'Neil's backup\restore",
        "backup restore archive wal replica standby vacuum index query planner lock deadlock checkpoint memory sort hash join table",
    ];

    private const string ReferenceSql = """
        WITH nearest AS MATERIALIZED (
            SELECT c.id, c.embedding <=> @query AS distance
            FROM chunks c
            WHERE c.collection_id = @collection AND {filter}
            ORDER BY c.embedding <=> @query
            LIMIT @candidates),
        vector_ranks AS (
            SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank
            FROM nearest WHERE 1 - distance >= @min),
        text_ranks AS (
            SELECT c.id, row_number() OVER (ORDER BY ts_rank(c.text_search, q) DESC, c.id) AS rank
            FROM chunks c, (SELECT {tsquery}) s(q)
            WHERE c.collection_id = @collection AND c.text_search @@ q AND {filter}
            ORDER BY ts_rank(c.text_search, q) DESC, c.id
            LIMIT @candidates),
        fused AS (
            SELECT coalesce(v.id, t.id) AS id,
                   coalesce(1.0 / (@rrf + v.rank), 0) + coalesce(1.0 / (@rrf + t.rank), 0) AS score,
                   1 - v.distance AS relevance
            FROM vector_ranks v FULL JOIN text_ranks t ON t.id = v.id)
        SELECT c.id, f.score::float8 AS score, f.relevance
        FROM fused f
        JOIN chunks c ON c.id = f.id
        JOIN documents d ON d.id = c.document_id
        ORDER BY f.score DESC, f.relevance DESC NULLS LAST, c.id
        LIMIT @top
        """;

    private RetrievalHarness _harness = null!;
    private VectorSeeder _seeder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _harness = new RetrievalHarness(Database, encoder);
        _seeder = new VectorSeeder(_harness.Store, encoder.Dimension);
    }

    /// <summary>
    /// 40 documents of 8 chunks, each chunk 6–30 words drawn from <see cref="Words"/> (so term counts, and with them
    /// ts_rank, vary), half of them tagged lang=en; a second collection with the same texts must never leak in.
    /// </summary>
    private async Task<CollectionInfo> CorpusAsync()
    {
        var random = new Random(12);
        var collection = await _seeder.CollectionAsync("fixed");
        var other = await _seeder.CollectionAsync("other");
        for (var d = 0; d < 40; d++)
        {
            var chunks = new List<(string, float[])>();
            for (var c = 0; c < 8; c++)
            {
                var text = string.Join(' ', Enumerable.Range(0, random.Next(6, 31)).Select(_ => Words[random.Next(Words.Length)]));
                chunks.Add((text, _seeder.Random(random, bias: 0.5f, biasAxis: d % 4)));
            }
            var tags = new Dictionary<string, string> { ["lang"] = d % 2 == 0 ? "en" : "de" };
            await _seeder.AddAsync(collection, $"doc-{d}", chunks, tags);
            await _seeder.AddAsync(other, $"other-{d}", chunks, tags);
        }
        await using var analyze = Database.DataSource.CreateCommand("ANALYZE chunks");
        await analyze.ExecuteNonQueryAsync();
        return collection;
    }

    private async Task<List<(long Id, double Score, double? Relevance)>> ReferenceAsync(
        CollectionInfo collection, float[] vector, string text, SearchOptions options)
    {
        var matchAnyTerm = !text.Contains('"', StringComparison.Ordinal) && !text.StartsWith('-')
            && !text.Contains(" -", StringComparison.Ordinal) && !text.Contains(" or ", StringComparison.OrdinalIgnoreCase);
        var tsquery = matchAnyTerm
            ? """(SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' | ') FROM unnest(to_tsvector('english', @text)))::tsquery"""
            : "websearch_to_tsquery('english', @text)";
        var filter = options.Filter is null ? "true" : "c.tags @> '{\"lang\": \"en\"}'::jsonb";
        var candidates = Math.Max(options.TopK * 4, 40);
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var settings = new NpgsqlCommand($"SET LOCAL hnsw.ef_search = {Math.Max(options.EfSearch, candidates)}; SET LOCAL hnsw.iterative_scan = relaxed_order", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand(ReferenceSql.Replace("{filter}", filter, StringComparison.Ordinal).Replace("{tsquery}", tsquery, StringComparison.Ordinal), connection, transaction);
        command.Parameters.AddWithValue("query", new Vector(vector));
        command.Parameters.AddWithValue("collection", collection.Id);
        command.Parameters.AddWithValue("candidates", candidates);
        command.Parameters.AddWithValue("top", options.TopK);
        command.Parameters.AddWithValue("min", options.MinRelevance);
        command.Parameters.AddWithValue("text", text);
        command.Parameters.AddWithValue("rrf", 60);
        var rows = new List<(long, double, double?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }
        return rows;
    }

    public static TheoryData<int, double, bool> Settings => new()
    {
        { 10, -1, false },
        { 5, 0.2, false },
        { 20, -1, true },
        { 10, 2, false },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Hybrid_results_equal_ranking_every_matching_chunk(int topK, double minRelevance, bool filtered)
    {
        var collection = await CorpusAsync();
        var random = new Random(99);
        var options = new SearchOptions
        {
            TopK = topK, Mode = SearchMode.Hybrid, MinRelevance = minRelevance, EfSearch = 100,
            Filter = filtered ? TagFilter.Tag("lang", "en") : null,
        };
        var textMatches = 0;
        foreach (var question in Questions)
        {
            var vector = _seeder.Random(random, bias: 0.5f, biasAxis: random.Next(4));

            var expected = await ReferenceAsync(collection, vector, question, options);
            var actual = await _harness.Search.SearchAsync(collection, vector, question, options);

            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.ChunkId));
            Assert.Equal(expected.Select(e => e.Score), actual.Select(a => a.Score));
            Assert.Equal(expected.Select(e => e.Relevance), actual.Select(a => a.Relevance));
            textMatches += actual.Count(a => a.Relevance is null);
        }
        // Chunks found by the full-text side alone prove it took part (with min relevance 2 it is all there is).
        Assert.True(textMatches > 0);
    }

    /// <summary>Why ranking only the chunks holding two lexemes changes nothing: ts_rank scores two lexemes held once
    /// above any number of repeats of one.</summary>
    [Fact]
    public async Task Ts_rank_scores_two_lexemes_above_any_repeat_of_one()
    {
        await using var command = Database.DataSource.CreateCommand(
            "SELECT ts_rank(to_tsvector('english', 'restore a backup'), q) > ts_rank(to_tsvector('english', repeat('backup ', 5000)), q) "
            + "FROM (SELECT 'restor | backup | archiv'::tsquery) s(q)");

        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }
}
