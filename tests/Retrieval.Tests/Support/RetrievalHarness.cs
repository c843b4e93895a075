using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Tests.Support;

/// <summary>
/// The retrieval components wired by hand over one test database: chunked in the forged encoder's tokens and
/// embedded by its real ONNX generator (or <paramref name="generator"/>, a wrapper around it), answered by
/// <paramref name="chat"/> with the prompt counted in <paramref name="chatTokenizer"/> (the tiny LLM's by default).
/// <paramref name="dataSource"/>, when given, stands for another process's connections to the same database.
/// </summary>
public sealed class RetrievalHarness
{
    public RetrievalHarness(
        RetrievalDatabase database, ForgedEncoder encoder, IEmbeddingGenerator<string, Embedding<float>>? generator = null,
        IChatClient? chat = null, RetrievalOptions? settings = null, Tokenizer? chatTokenizer = null, IPassageReranker? reranker = null,
        Npgsql.NpgsqlDataSource? dataSource = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Settings = settings ?? DefaultSettings(encoder);
        var options = Options.Create(Settings);
        Database = database;
        Embedder = new Embedder(generator ?? encoder.Generator, Settings.EmbeddingBatchSize);
        dataSource ??= database.DataSource;
        Store = new DocumentStore(dataSource);
        Search = new ChunkSearch(dataSource, Store, Embedder, options, reranker);
        Pipeline = new IngestionPipeline(new Chunker(encoder.Tokenizer, Settings.ChunkMaxTokens, Settings.ChunkOverlapTokens), Embedder, Store, options, Options.Create(new ExtractionOptions()));
        Jobs = new IngestionJobs(dataSource);
        ChatTokenizer = chatTokenizer ?? TinyLlm.Tokenizer;
        Answerer = new Answerer(Search, chat ?? new ScriptedChatClient("unused"), ChatTokenizer, options);
    }

    /// <summary>
    /// Small chunks and batches so a few paragraphs already take several chunks and embedding calls; a failed
    /// ingestion job is retried at once (tests of the backoff set their own delay).
    /// </summary>
    public static RetrievalOptions DefaultSettings(ForgedEncoder encoder) =>
        new() { ChunkMaxTokens = encoder.ChunkMaxTokens, ChunkOverlapTokens = 6, EmbeddingBatchSize = 4, MinRelevance = 0.1, IngestionRetryDelay = TimeSpan.Zero };

    public Tokenizer ChatTokenizer { get; }

    public RetrievalOptions Settings { get; }

    public RetrievalDatabase Database { get; }

    public Embedder Embedder { get; }

    public DocumentStore Store { get; }

    public ChunkSearch Search { get; }

    public IngestionPipeline Pipeline { get; }

    public IngestionJobs Jobs { get; }

    public Answerer Answerer { get; }

    public IngestionWorker NewWorker() => new(Jobs, Pipeline, Options.Create(Settings), NullLogger<IngestionWorker>.Instance);

    public Task<IngestResult> IngestTextAsync(string name, string text, string? collection = null, string? externalId = null, IReadOnlyDictionary<string, string>? tags = null) =>
        Pipeline.IngestAsync(new IngestRequest(name, System.Text.Encoding.UTF8.GetBytes(text))
        {
            Collection = collection,
            ExternalId = externalId,
            Tags = tags ?? new Dictionary<string, string>(),
        });
}
