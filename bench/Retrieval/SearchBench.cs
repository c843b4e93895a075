using System.Diagnostics;
using Npgsql;
using Pgvector;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Bench;

/// <summary>
/// ChunkSearch over a large collection of clustered vectors (embeddings of real text cluster by
/// topic; uniform random vectors would be an unrealistically hard case for any ANN index): recall@10
/// against PostgreSQL's exact scan of the same table, and latency of our full query path.
/// </summary>
internal static class SearchBench
{
    private const int Dimension = 384;
    private const int Clusters = 1_000;
    private const int ChunksPerDocument = 1_000;
    private const int TopK = 10;

    public static async Task<object> RunAsync(BenchArguments arguments, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator, string adminConnection)
    {
        await using var database = await BenchDatabase.CreateAsync(adminConnection, Dimension);
        var store = new DocumentStore(database.DataSource);
        var model = new EmbeddingModelInfo("synthetic-clustered-384", Dimension);
        var collection = await store.GetOrCreateCollectionAsync("bench", model);
        var random = new Random(7);
        var centroids = Enumerable.Range(0, Clusters).Select(_ => Gaussian(random, 1.0f)).ToArray();

        // Bulk load as one would for a large initial import: COPY everything, then build the index once
        // (same definition as the migration) instead of growing the graph row by row.
        var load = Stopwatch.GetTimestamp();
        await database.ExecuteAsync("DROP INDEX chunks_embedding_hnsw");
        for (var d = 0; d < arguments.Vectors / ChunksPerDocument; d++)
        {
            var chunks = Enumerable.Range(0, ChunksPerDocument)
                .Select(i => new Chunk(i, $"document {d} chunk {i}", 0, 1, 1, [], null)).ToArray();
            var vectors = Enumerable.Range(0, ChunksPerDocument).Select(_ => (ReadOnlyMemory<float>)Sample(random, centroids)).ToAsyncEnumerable();
            await store.StoreAsync(collection.Name, model, new NewDocument($"doc{d}", "text/plain", BitConverter.GetBytes(d), null, new Dictionary<string, string>()), chunks, vectors);
        }
        var copySeconds = Stopwatch.GetElapsedTime(load).TotalSeconds;
        var build = Stopwatch.GetTimestamp();
        await database.ExecuteAsync("SET maintenance_work_mem = '1GB'; CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops); ANALYZE chunks");
        var buildSeconds = Stopwatch.GetElapsedTime(build).TotalSeconds;

        var queries = Enumerable.Range(0, arguments.Queries).Select(_ => Sample(random, centroids)).ToArray();
        var (truth, exactMs) = await ExactAsync(database.DataSource, collection, queries, arguments.ExactQueries);
        var search = new ChunkSearch(database.DataSource, store, new Embedder(generator, 32), Microsoft.Extensions.Options.Options.Create(new RetrievalOptions()));
        var explain = await search.ExplainAsync(collection, queries[0], null, new SearchOptions { TopK = TopK, EfSearch = 40, MinRelevance = -1 });

        return new
        {
            vectors = arguments.Vectors,
            dimension = Dimension,
            clusters = Clusters,
            queries = queries.Length,
            copy_seconds = copySeconds,
            index_build_seconds = buildSeconds,
            plan_uses_hnsw = explain.Contains("chunks_embedding_hnsw", StringComparison.Ordinal),
            exact_scan_p50_ms = Percentile(exactMs, 0.5),
            exact_scan_queries = exactMs.Length,
            ef_search_40 = await MeasureAsync(search, collection, queries, truth, 40, Percentile(exactMs, 0.5)),
            ef_search_100 = await MeasureAsync(search, collection, queries, truth, 100, Percentile(exactMs, 0.5)),
        };
    }

    private static async Task<object> MeasureAsync(ChunkSearch search, CollectionInfo collection, float[][] queries, HashSet<long>[] truth, int efSearch, double exactP50)
    {
        var options = new SearchOptions { TopK = TopK, EfSearch = efSearch, MinRelevance = -1 };
        foreach (var query in queries.Take(20))
        {
            await search.SearchAsync(collection, query, null, options);
        }
        var latencies = new double[queries.Length];
        var found = 0;
        for (var q = 0; q < queries.Length; q++)
        {
            var started = Stopwatch.GetTimestamp();
            var hits = await search.SearchAsync(collection, queries[q], null, options);
            latencies[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            foreach (var hit in hits)
            {
                found += truth[q].Contains(hit.ChunkId) ? 1 : 0;
            }
        }
        var p50 = Percentile(latencies, 0.5);
        return new
        {
            recall_at_10 = found / (double)(queries.Length * TopK),
            p50_ms = p50,
            p99_ms = Percentile(latencies, 0.99),
            speedup_vs_exact_p50 = exactP50 / p50,
        };
    }

    /// <summary>Ground truth from PostgreSQL itself with index scans off (a full scan), timed on the first <paramref name="timed"/> queries.</summary>
    private static async Task<(HashSet<long>[] Truth, double[] Milliseconds)> ExactAsync(NpgsqlDataSource dataSource, CollectionInfo collection, float[][] queries, int timed)
    {
        var truth = new HashSet<long>[queries.Length];
        var milliseconds = new List<double>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_indexscan = off; SET enable_bitmapscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        for (var q = 0; q < queries.Length; q++)
        {
            await using var command = new NpgsqlCommand(
                "SELECT id FROM chunks WHERE collection_id = @collection ORDER BY embedding <=> @query LIMIT @k", connection);
            command.Parameters.AddWithValue("collection", collection.Id);
            command.Parameters.AddWithValue("query", new Vector(queries[q]));
            command.Parameters.AddWithValue("k", TopK);
            var started = Stopwatch.GetTimestamp();
            truth[q] = [];
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    truth[q].Add(reader.GetInt64(0));
                }
            }
            if (q < timed)
            {
                milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        return (truth, milliseconds.ToArray());
    }

    private static float[] Sample(Random random, float[][] centroids)
    {
        var centroid = centroids[random.Next(centroids.Length)];
        var noise = Gaussian(random, 0.35f);
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] += centroid[i];
        }
        return noise;
    }

    private static float[] Gaussian(Random random, float sigma)
    {
        var vector = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            // Box–Muller.
            var u = 1 - random.NextDouble();
            vector[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return vector;
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
