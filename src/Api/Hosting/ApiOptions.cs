using System.ComponentModel.DataAnnotations;

namespace Rag.Api.Hosting;

/// <summary>The HTTP surface's settings, bound from the <c>Api</c> section (<c>Api__MaxUploadBytes=...</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public const long DefaultMaxUploadBytes = 50 * 1024 * 1024;

    /// <summary>API keys; with none the service is open (and listens on loopback unless told otherwise).</summary>
    public IList<ApiKey> Keys { get; init; } = [];

    /// <summary>
    /// A key that reads <c>/metrics</c> and nothing else, for a scraper. With <see cref="Keys"/> set, <c>/metrics</c>
    /// needs it or a key for every collection; with no keys the service, <c>/metrics</c> included, is open.
    /// </summary>
    public string? MetricsKey { get; set; }

    /// <summary>Largest request body accepted (all the files of one upload together); larger ones get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>
    /// Uploads up to this size are read before the response to estimate their work (see <see cref="SynchronousIngestChunks"/>);
    /// larger ones are queued (202) unread.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long SynchronousIngestBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Documents expected to make at most this many chunks are ingested before the response (201); more are queued (202).
    /// Embedding is the work that grows with a document: on two CPU cores the default MiniLM-sized model embeds about
    /// this many 256-token chunks in two seconds.
    /// </summary>
    [Range(0, 100_000)]
    public int SynchronousIngestChunks { get; set; } = 24;

    /// <summary>Largest single file accepted for queued ingestion; larger ones get 413 before anything is stored.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxQueuedUploadBytes { get; set; } = 16 * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxQuestionLength { get; set; } = 2000;

    /// <summary>Most strings one <c>/v1/embeddings</c> request may embed (OpenAI's limit); more get 400.</summary>
    [Range(1, 1_000_000)]
    public int MaxEmbeddingInputs { get; set; } = 2048;

    /// <summary>Most tokens, all inputs together, one <c>/v1/embeddings</c> request may embed; more get 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEmbeddingTokens { get; set; } = 100_000;

    /// <summary>
    /// The <c>Retry-After</c> sent with 429 when the LLM's generation queue is full
    /// (its size: <c>Llm:MaxConcurrentRequests</c> and <c>Llm:MaxQueuedRequests</c>) and with 503 while the database does not answer.
    /// </summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Whole-request time limit, streaming included; past it the request is cancelled.</summary>
    [Range(1, 86_400)]
    public int RequestTimeoutSeconds { get; set; } = 300;

    /// <summary>Set by <c>./run.sh</c> when it falls back to the untrained ModelForge models: the page shows a banner.</summary>
    public bool DemoModels { get; set; }
}

public sealed class ApiKey
{
    [Required(AllowEmptyStrings = false)]
    public string Key { get; set; } = "";

    /// <summary>A label for logs; never the key itself.</summary>
    public string? Name { get; set; }

    /// <summary>Collections this key may use; empty means all.</summary>
    public IList<string> Collections { get; init; } = [];
}
