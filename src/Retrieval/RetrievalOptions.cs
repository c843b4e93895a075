using System.ComponentModel.DataAnnotations;

namespace Rag.Retrieval;

/// <summary>Bound from the <c>Retrieval</c> configuration section, beside <c>Llm</c> and <c>Embedding</c>.</summary>
public sealed class RetrievalOptions
{
    public const string SectionName = "Retrieval";

    /// <summary>Used when a request names no collection.</summary>
    [Required]
    public string DefaultCollection { get; set; } = "default";

    /// <summary>
    /// The longest chunk, in the embedding tokenizer's count. The service counts a text's own tokens and caps this at
    /// what the embedding model reads beside the special tokens it adds, so no chunk is cut when embedded.
    /// </summary>
    [Range(16, 32768)]
    public int ChunkMaxTokens { get; set; } = 256;

    /// <summary>Tokens repeated from the end of one chunk at the start of the next (about 10% by default).</summary>
    [Range(0, 4096)]
    public int ChunkOverlapTokens { get; set; } = 25;

    [Range(1, 4096)]
    public int EmbeddingBatchSize { get; set; } = 32;

    [Range(1, 200)]
    public int TopK { get; set; } = 5;

    /// <summary>How many nearest chunks a reranker, when there is one, reorders before the top ones are kept.</summary>
    [Range(1, 500)]
    public int RerankCandidates { get; set; } = 20;

    /// <summary>Cosine similarity (1 − cosine distance) a chunk needs to count as relevant.</summary>
    [Range(-1.0, 1.0)]
    public double MinRelevance { get; set; } = 0.3;

    /// <summary>
    /// pgvector's <c>hnsw.ef_search</c>: the candidate list size; higher is slower and more exact.
    /// 100 rather than pgvector's 40: on 100,000 384-d vectors (bench/Retrieval) 40 gave recall@10 0.93,
    /// 100 gave 0.99 at a p50 still near 2 ms.
    /// </summary>
    [Range(1, 1000)]
    public int EfSearch { get; set; } = 100;

    /// <summary>The LLM's context window, in its tokens.</summary>
    [Range(64, 1048576)]
    public int ChatContextTokens { get; set; } = 2048;

    /// <summary>Tokens kept free in the context window for the answer.</summary>
    [Range(16, 65536)]
    public int AnswerMaxTokens { get; set; } = 256;

    /// <summary>Runs the ingestion job worker in this process.</summary>
    public bool RunIngestionWorker { get; set; } = true;

    /// <summary>
    /// How long a claimed job stays a worker's without a heartbeat: a worker that died (kill -9, lost host) has its job
    /// taken over this long after its last heartbeat. Short, because a live worker renews it every
    /// <see cref="IngestionHeartbeat"/> however long the job takes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IngestionLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker renews the lease of the job it is processing; well under <see cref="IngestionLease"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan IngestionHeartbeat { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IngestionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job failing this many times is marked failed for good.</summary>
    [Range(1, 100)]
    public int IngestionMaxAttempts { get; set; } = 3;

    /// <summary>
    /// The wait before retrying a job after its first transient failure; doubled after each further
    /// failure up to <see cref="IngestionRetryMaxDelay"/> (see <see cref="Ingestion.RetryBackoff"/>). Zero retries at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan IngestionRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts of a job, however many times it failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan IngestionRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}
