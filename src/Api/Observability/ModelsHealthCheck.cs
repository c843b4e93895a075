using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Rag.Api.Observability;

internal sealed class ModelsHealthCheck(Readiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.ModelsLoaded
            ? HealthCheckResult.Healthy("The LLM and the embedding model are loaded.")
            : HealthCheckResult.Unhealthy("The models are still loading."));
}
