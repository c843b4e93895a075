using Rag.Api.Mcp;
using Rag.Api.Observability;
using Rag.Retrieval;

namespace Rag.Api.Hosting;

/// <summary>Wires the models (local ONNX or remote, see <see cref="ModelBackends"/>) into Retrieval and checks at start-up that everything they need is there.</summary>
public static class RagServicesExtensions
{
    public static WebApplicationBuilder AddRagServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        KeepThreadsForRequests();
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton<Readiness>();
        services.AddSingleton<LoadedModels>();
        // Hosted services start in registration order: reach the database, migrate (Retrieval), then load the models.
        services.AddHostedService<DatabaseConnectionCheck>();
        ModelBackends.AddEmbeddingModel(services, configuration);
        ModelBackends.AddChatModel(services, configuration);
        services.AddRetrieval(configuration);
        services.AddRagMcp();
        services.AddOptions<RetrievalOptions>().PostConfigure<ChatWindow, EmbeddingWindow>((options, chat, embedding) =>
            FitToModels(options, configuration.GetSection(RetrievalOptions.SectionName), chat.Tokens, embedding.Tokens));
        services.AddHostedService<ModelWarmup>();
        services.AddHostedService<IngestionJobsGauge>();
        return builder;
    }

    // Each running generation holds a pool thread through its ONNX Runtime calls; on a two-core machine the pool
    // starts with two threads and adds more slowly, so requests (a 429, a health check) would wait behind decode
    // steps. A floor of threads keeps the server answering while generations run.
    private static void KeepThreadsForRequests()
    {
        const int MinimumWorkers = 64;
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumWorkers), completionPorts);
    }

    // The token budgets follow the loaded models: a chunk is never longer than the embedder reads (configured or not:
    // a longer one would lose its end silently when embedded); unless configured, a prompt fills the LLM's context
    // window, and chunk and answer sizes shrink for a small window (1/16 of it each) so a few sources still fit beside
    // the instructions — real models keep the defaults.
    private static void FitToModels(RetrievalOptions options, IConfigurationSection configured, int contextLength, int maxSequenceLength)
    {
        const int MinimumTokens = 16;
        var share = Math.Max(MinimumTokens, contextLength / 16);
        options.ChunkMaxTokens = Math.Min(options.ChunkMaxTokens, maxSequenceLength);
        if (configured[nameof(RetrievalOptions.ChunkMaxTokens)] is null)
        {
            options.ChunkMaxTokens = Math.Min(options.ChunkMaxTokens, share);
            options.ChunkOverlapTokens = Math.Min(options.ChunkOverlapTokens, options.ChunkMaxTokens / 10);
        }
        if (configured[nameof(RetrievalOptions.ChatContextTokens)] is null)
        {
            options.ChatContextTokens = contextLength;
        }
        if (configured[nameof(RetrievalOptions.AnswerMaxTokens)] is null)
        {
            options.AnswerMaxTokens = Math.Min(options.AnswerMaxTokens, share);
        }
    }
}
