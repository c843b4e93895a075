using Microsoft.Extensions.AI;
using Npgsql;
using Rag.Api.Observability;
using Rag.Retrieval;

namespace Rag.Api.Hosting;

/// <summary>
/// Runs after the migration (hosted services start in registration order): refreshes the database types, loads
/// the models before the first request rather than during it, then reports the service ready.
/// </summary>
internal sealed class ModelWarmup(IServiceProvider services, NpgsqlDataSource dataSource, Embedder embedder, Readiness readiness, ILogger<ModelWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Connections opened before the migration created the `vector` extension cached a type list without it.
        await dataSource.ReloadTypesAsync(cancellationToken);
        readiness.MarkMigrationsApplied();
        var embedding = await embedder.GetModelAsync(cancellationToken);
        services.GetRequiredService<IChatClient>();
        // Also loads the reranker, when one is configured.
        var models = services.GetRequiredService<LoadedModels>();
        // Creates the API's instruments now, so /metrics shows them (queue depth included) before the first request.
        services.GetRequiredService<ApiMetrics>();
        readiness.MarkModelsLoaded();
        logger.LogInformation("Models loaded: LLM '{Llm}', embedding '{Embedding}' ({Dimension} dimensions), reranker '{Reranker}'",
            models.LlmId, embedding.Id, embedding.Dimension, models.RerankerId ?? "none");
        if (models.Demo)
        {
            logger.LogWarning("Demo models are loaded: answers come from an untrained model generated offline. Fetch real models with scripts/fetch-models.sh.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
