using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Npgsql;
using Pgvector.Npgsql;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Plugin;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval;

public static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// Registers retrieval over <c>ConnectionStrings:Postgres</c>, options from the
    /// <c>Retrieval</c> and <c>Extraction</c> sections, the start-up migration and the ingestion worker. The host
    /// registers the models: an <see cref="IEmbeddingGenerator{String, Embedding}"/>, an
    /// <see cref="IChatClient"/>, and two keyed <see cref="Tokenizer"/>s
    /// (<see cref="RetrievalServiceKeys.EmbeddingTokenizer"/>, <see cref="RetrievalServiceKeys.ChatTokenizer"/>).
    /// </summary>
    public static IServiceCollection AddRetrieval(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RetrievalOptions>()
            .Bind(configuration.GetSection(RetrievalOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.ChunkOverlapTokens < o.ChunkMaxTokens, "Retrieval:ChunkOverlapTokens must be smaller than ChunkMaxTokens.")
            .Validate(o => o.AnswerMaxTokens < o.ChatContextTokens, "Retrieval:AnswerMaxTokens must be smaller than ChatContextTokens.")
            .Validate(o => o.IngestionRetryDelay <= o.IngestionRetryMaxDelay, "Retrieval:IngestionRetryDelay must not exceed IngestionRetryMaxDelay.")
            .Validate(o => o.IngestionHeartbeat * 2 <= o.IngestionLease, "Retrieval:IngestionHeartbeat must be at most half of IngestionLease, so one late heartbeat does not lose the job.")
            .ValidateOnStart();
        services.AddOptions<ExtractionOptions>()
            .Bind(configuration.GetSection(ExtractionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // One data source per process: it owns the connection pool and the pgvector type mapping.
        services.TryAddSingleton(_ =>
        {
            var connectionString = configuration.GetConnectionString("Postgres");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                // A configuration error like any other option's: hosts report it without a stack trace.
                throw new OptionsValidationException("ConnectionStrings:Postgres", typeof(string),
                    ["ConnectionStrings:Postgres is not set (environment variable ConnectionStrings__Postgres)."]);
            }
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.UseVector();
            return builder.Build();
        });

        services.TryAddSingleton<Migrator>();
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            return new Chunker(sp.GetRequiredKeyedService<Tokenizer>(RetrievalServiceKeys.EmbeddingTokenizer), settings.ChunkMaxTokens, settings.ChunkOverlapTokens);
        });
        services.TryAddSingleton(sp => new Embedder(
            sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetRequiredService<IOptions<RetrievalOptions>>().Value.EmbeddingBatchSize));
        services.TryAddSingleton<DocumentStore>();
        services.TryAddSingleton<CollectionStore>();
        services.TryAddSingleton<ChunkSearch>();
        services.TryAddSingleton<Answerer>();
        services.TryAddSingleton<IngestionPipeline>();
        services.TryAddSingleton<IngestionJobs>();
        services.TryAddSingleton<IngestionWorker>();
        services.TryAddSingleton<RagPlugin>();

        // Registration order is start order: migrate before the worker polls the jobs table.
        services.AddHostedService<DatabaseMigration>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionWorker>());
        return services;
    }
}
