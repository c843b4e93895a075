using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Search;

/// <summary>
/// Nearest chunks of one collection: cosine distance through the HNSW index, optionally fused with
/// PostgreSQL full-text ranking (reciprocal rank fusion), then reordered by a cross-encoder when one is registered.
/// No query ever leaves its collection.
/// </summary>
public sealed class ChunkSearch(
    NpgsqlDataSource dataSource, DocumentStore store, Embedder embedder, IOptions<RetrievalOptions> options, IPassageReranker? reranker = null)
{
    /// <summary>RRF's k: damps the weight of the very first ranks (the value from the original paper).</summary>
    private const int RrfK = 60;

    /// <summary>Lexemes of a question up to which pairs of them pick the full-text candidates (16 make 120 pairs).</summary>
    private const int MaxPairedLexemes = 16;

    private const string HitColumns =
        "c.id, c.document_id, d.name, c.ordinal, c.text, c.section_path, c.page, c.start_offset, c.end_offset, c.tags::text";

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var searchOptions = Resolve(request, settings);
        var collectionName = request.Collection ?? settings.DefaultCollection;
        if (request.Rerank == true && reranker is null)
        {
            throw new NoRerankerException();
        }
        var rerank = reranker is not null && request.Rerank != false;
        using var span = RetrievalTelemetry.Source.StartActivity("retrieval.search");
        span?.SetTag("rag.search.reranked", rerank);
        span?.SetTag("rag.collection", collectionName);
        span?.SetTag("rag.search.mode", searchOptions.Mode.ToString());
        span?.SetTag("rag.search.top_k", searchOptions.TopK);
        var model = await embedder.GetModelAsync(cancellationToken);
        var collection = await store.FindCollectionAsync(collectionName, model, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        if (collection is null)
        {
            return new SearchResult([], TimeSpan.Zero, TimeSpan.Zero);
        }
        var vector = await embedder.EmbedQueryAsync(request.Query, cancellationToken);
        var embedTime = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        // A reranker reorders more candidates than are kept, so a passage the vectors placed 12th can still make the top 5.
        var candidates = rerank ? searchOptions with { TopK = Math.Max(searchOptions.TopK, settings.RerankCandidates) } : searchOptions;
        var hits = await SearchAsync(collection, vector, request.Query, candidates, cancellationToken);
        var searchTime = Stopwatch.GetElapsedTime(started);
        TimeSpan? rerankTime = null;
        if (rerank && reranker is not null && hits.Count > 0)
        {
            started = Stopwatch.GetTimestamp();
            hits = await RerankAsync(reranker, request.Query, hits, searchOptions.TopK, cancellationToken);
            rerankTime = Stopwatch.GetElapsedTime(started);
        }
        span?.SetTag("rag.search.hits", hits.Count);
        return new SearchResult(hits, embedTime, searchTime) { RerankTime = rerankTime };
    }

    /// <summary>The <paramref name="top"/> hits the reranker scores highest, its score as each one's <see cref="SearchHit.Score"/>.</summary>
    private static async Task<IReadOnlyList<SearchHit>> RerankAsync(
        IPassageReranker reranker, string query, IReadOnlyList<SearchHit> hits, int top, CancellationToken cancellationToken)
    {
        using var span = RetrievalTelemetry.Source.StartActivity("retrieval.rerank");
        span?.SetTag("rag.rerank.model", reranker.ModelId);
        span?.SetTag("rag.rerank.candidates", hits.Count);
        var passages = new string[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            passages[i] = hits[i].Text;
        }
        var scores = await reranker.ScoreAsync(query, passages, cancellationToken);
        if (scores.Count != hits.Count)
        {
            throw new InvalidOperationException($"The reranker returned {scores.Count} scores for {hits.Count} passages.");
        }
        // Stable: equal scores keep the first-stage order.
        return [.. hits.Select((hit, i) => (Hit: hit, Score: scores[i], Rank: i))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Rank)
            .Take(top)
            .Select(x => x.Hit with { Score = x.Score })];
    }

    /// <summary>Searches with a vector already computed (and the text, for hybrid mode).</summary>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(
        CollectionInfo collection, ReadOnlyMemory<float> vector, string? text, SearchOptions searchOptions, CancellationToken cancellationToken = default) =>
        RunAsync(collection, vector, text, searchOptions, explain: false, ReadHitsAsync, cancellationToken);

    /// <summary>PostgreSQL's plan for exactly the query <see cref="SearchAsync(CollectionInfo, ReadOnlyMemory{float}, string?, SearchOptions, CancellationToken)"/> runs.</summary>
    public Task<string> ExplainAsync(
        CollectionInfo collection, ReadOnlyMemory<float> vector, string? text, SearchOptions searchOptions, CancellationToken cancellationToken = default) =>
        RunAsync(collection, vector, text, searchOptions, explain: true, ReadPlanAsync, cancellationToken);

    /// <summary>Runs the search query (or its EXPLAIN) in a transaction that scopes the SET LOCAL settings.</summary>
    private async Task<T> RunAsync<T>(
        CollectionInfo collection, ReadOnlyMemory<float> vector, string? text, SearchOptions searchOptions, bool explain,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(searchOptions);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = await PrepareAsync(connection, transaction, collection, vector, text, searchOptions, cancellationToken);
        if (explain)
        {
            command.CommandText = "EXPLAIN " + command.CommandText;
        }
        T result;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            result = await read(reader, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<IReadOnlyList<SearchHit>> ReadHitsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHit(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.GetString(4),
                reader.GetDouble(10),
                reader.IsDBNull(11) ? null : reader.GetDouble(11),
                reader.GetFieldValue<string[]>(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.GetInt32(7),
                reader.GetInt32(8),
                TagsJson.Read(reader.GetString(9))));
        }
        return hits;
    }

    private static async Task<string> ReadPlanAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var plan = new StringBuilder();
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.AppendLine(reader.GetString(0));
        }
        return plan.ToString();
    }

    private static SearchOptions Resolve(SearchRequest request, RetrievalOptions settings) => new()
    {
        TopK = request.TopK ?? settings.TopK,
        Mode = request.Mode,
        Filter = request.Filter,
        MinRelevance = request.MinRelevance ?? settings.MinRelevance,
        EfSearch = request.EfSearch ?? settings.EfSearch,
    };

    private static async Task<NpgsqlCommand> PrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CollectionInfo collection,
        ReadOnlyMemory<float> vector, string? text, SearchOptions searchOptions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(searchOptions.TopK);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(searchOptions.EfSearch);
        if (vector.Length != collection.EmbeddingDimension)
        {
            throw new ArgumentException($"The query vector has {vector.Length} dimensions; collection '{collection.Name}' stores {collection.EmbeddingDimension}.", nameof(vector));
        }
        var hybrid = searchOptions.Mode == SearchMode.Hybrid && !string.IsNullOrWhiteSpace(text);
        var candidates = hybrid ? Math.Max(searchOptions.TopK * 4, 40) : searchOptions.TopK;
        // An HNSW scan yields at most ef_search rows, so the candidate list must hold the LIMIT.
        // The scan is always filtered (by collection, maybe by tags): iterative scan keeps it going
        // until LIMIT rows pass the filter instead of returning fewer than asked. relaxed_order is
        // pgvector's faster mode; the outer query re-sorts by exact distance.
        var efSearch = Math.Max(searchOptions.EfSearch, candidates).ToString(CultureInfo.InvariantCulture);
        await using (var settings = new NpgsqlCommand(
            $"SET LOCAL hnsw.ef_search = {efSearch}; SET LOCAL hnsw.iterative_scan = relaxed_order", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var filter = TagFilterSql.Compile(searchOptions.Filter, "c.tags", command.Parameters);
        command.Parameters.AddWithValue("query", new Vector(vector));
        command.Parameters.AddWithValue("collection", collection.Id);
        command.Parameters.AddWithValue("candidates", candidates);
        command.Parameters.AddWithValue("top", searchOptions.TopK);
        command.Parameters.AddWithValue("min", searchOptions.MinRelevance);
        if (hybrid)
        {
            command.Parameters.AddWithValue("text", text!);
            command.Parameters.AddWithValue("rrf", RrfK);
            command.Parameters.AddWithValue("max_paired", MaxPairedLexemes);
            command.CommandText = HybridSql(filter, MatchAnyTerm(text!));
        }
        else
        {
            command.CommandText = VectorSql(filter);
        }
        return command;
    }

    /// <summary>The index-served part of every search: the collection's nearest chunks passing the filter.</summary>
    private static string NearestSql(string filter) =>
        $"""
        nearest AS MATERIALIZED (
            SELECT c.id, c.embedding <=> @query AS distance
            FROM chunks c
            WHERE c.collection_id = @collection AND {filter}
            ORDER BY c.embedding <=> @query
            LIMIT @candidates)
        """;

    private static string VectorSql(string filter) =>
        $"""
        WITH {NearestSql(filter)}
        SELECT {HitColumns}, 1 - n.distance AS score, 1 - n.distance AS relevance
        FROM nearest n
        JOIN chunks c ON c.id = n.id
        JOIN documents d ON d.id = c.document_id
        WHERE 1 - n.distance >= @min
        ORDER BY n.distance, c.id
        LIMIT @top
        """;

    /// <summary>
    /// websearch_to_tsquery ANDs plain words, so a question would only match chunks containing every one of its words.
    /// Without search syntax (quotes, "or", -negation) any of its words may match instead (see <see cref="TextRanksSql"/>);
    /// with syntax the user's query is kept as written.
    /// </summary>
    private static bool MatchAnyTerm(string text) =>
        !text.Contains('"', StringComparison.Ordinal)
        && !text.StartsWith('-')
        && !text.Contains(" -", StringComparison.Ordinal)
        && !text.Contains(" or ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The full-text side: the best <c>@candidates</c> chunks by ts_rank. A plain question ORs its lexemes (as
    /// to_tsvector indexed the chunks), and ranking every chunk holding any of them meant ranking every chunk holding a
    /// common word such as "database" (3,207 of 10,604 manual chunks for one question). But ts_rank gives a chunk
    /// holding two of the lexemes more than any number of repeats of one can reach (unweighted vectors: one
    /// occurrence counts 1, all repeats of it together at most π²/6 ≈ 1.64), so when at least <c>@candidates</c>
    /// chunks hold two, the best <c>@candidates</c> are among them: those are found through a tsquery ORing every
    /// pair of lexemes and only they are ranked. Otherwise (or beyond <see cref="MaxPairedLexemes"/> lexemes) every
    /// chunk holding any lexeme is ranked. The results are the same either way (HybridRankingTests).
    /// The tsqueries are read through scalar subqueries, which PostgreSQL evaluates once (InitPlans) and hands to the
    /// GIN index on text_search; joined in as a row source they were join variables the index could not use.
    /// </summary>
    private static string TextRanksSql(string filter, bool matchAnyTerm) => matchAnyTerm
        ? $"""
        query_lexemes AS (
            SELECT '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''' AS lexeme, row_number() OVER () AS n
            FROM unnest(to_tsvector('english', @text))),
        text_query AS (
            SELECT (SELECT string_agg(lexeme, ' | ') FROM query_lexemes)::tsquery AS any_lexeme,
                   (SELECT string_agg(a.lexeme || ' & ' || b.lexeme, ' | ')
                    FROM query_lexemes a JOIN query_lexemes b ON a.n < b.n
                    WHERE (SELECT count(*) FROM query_lexemes) <= @max_paired)::tsquery AS two_lexemes),
        sharing_two AS MATERIALIZED (
            SELECT c.id, ts_rank(c.text_search, (SELECT any_lexeme FROM text_query)) AS score
            FROM chunks c
            WHERE c.collection_id = @collection AND c.text_search @@ (SELECT two_lexemes FROM text_query) AND {filter}),
        text_ranks AS (
            SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank
            FROM (SELECT id, score FROM sharing_two
                  WHERE (SELECT count(*) FROM sharing_two) >= @candidates
                  UNION ALL
                  SELECT c.id, ts_rank(c.text_search, (SELECT any_lexeme FROM text_query))
                  FROM chunks c
                  WHERE (SELECT count(*) FROM sharing_two) < @candidates
                    AND c.collection_id = @collection AND c.text_search @@ (SELECT any_lexeme FROM text_query) AND {filter}) ranked
            ORDER BY rank
            LIMIT @candidates)
        """
        : $"""
        text_query AS (SELECT websearch_to_tsquery('english', @text) AS q),
        text_ranks AS (
            SELECT c.id, row_number() OVER (ORDER BY ts_rank(c.text_search, (SELECT q FROM text_query)) DESC, c.id) AS rank
            FROM chunks c
            WHERE c.collection_id = @collection AND c.text_search @@ (SELECT q FROM text_query) AND {filter}
            ORDER BY rank
            LIMIT @candidates)
        """;

    // Each ranking contributes 1 / (k + rank); a chunk found by both rises above one found by either.
    private static string HybridSql(string filter, bool matchAnyTerm) =>
        $"""
        WITH {NearestSql(filter)},
        vector_ranks AS (
            SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank
            FROM nearest WHERE 1 - distance >= @min),
        {TextRanksSql(filter, matchAnyTerm)},
        fused AS (
            SELECT coalesce(v.id, t.id) AS id,
                   coalesce(1.0 / (@rrf + v.rank), 0) + coalesce(1.0 / (@rrf + t.rank), 0) AS score,
                   1 - v.distance AS relevance
            FROM vector_ranks v FULL JOIN text_ranks t ON t.id = v.id)
        SELECT {HitColumns}, f.score::float8 AS score, f.relevance
        FROM fused f
        JOIN chunks c ON c.id = f.id
        JOIN documents d ON d.id = c.document_id
        ORDER BY f.score DESC, f.relevance DESC NULLS LAST, c.id
        LIMIT @top
        """;
}
