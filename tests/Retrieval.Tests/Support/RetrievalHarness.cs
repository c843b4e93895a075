using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Tests.Support;

/// <summary>The retrieval components wired by hand over one test database, with a given embedder and chat client.</summary>
public sealed class RetrievalHarness
{
    public RetrievalHarness(
        RetrievalDatabase database, IEmbeddingGenerator<string, Embedding<float>> generator, IChatClient? chat = null, RetrievalOptions? settings = null, Tokenizer? embeddingTokenizer = null)
    {
        Settings = settings ?? new RetrievalOptions { ChunkMaxTokens = 64, ChunkOverlapTokens = 6, EmbeddingBatchSize = 4, MinRelevance = 0.1 };
        var options = Options.Create(Settings);
        Database = database;
        Embedder = new Embedder(generator, Settings.EmbeddingBatchSize);
        Store = new DocumentStore(database.DataSource);
        Search = new ChunkSearch(database.DataSource, Store, Embedder, options);
        Pipeline = new IngestionPipeline(new Chunker(embeddingTokenizer ?? TestTokenizer.Instance, Settings.ChunkMaxTokens, Settings.ChunkOverlapTokens), Embedder, Store, options);
        Jobs = new IngestionJobs(database.DataSource);
        Answerer = new Answerer(Search, chat ?? new ScriptedChatClient("unused"), TestTokenizer.Instance, options);
    }

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
