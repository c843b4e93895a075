using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Rag.Retrieval.Storage;

namespace Rag.Api.Observability;

/// <summary>Ready when PostgreSQL answers now and this process has applied the migrations.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, Readiness readiness) : IHealthCheck
{
    /// <summary>A database that accepts the connection but never answers must still make the probe say "down", and soon.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL did not answer within {ProbeTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (DatabaseOutage.Caused(ex))
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + ex.Message);
        }
        return readiness.MigrationsApplied
            ? HealthCheckResult.Healthy("PostgreSQL answers; migrations applied.")
            : HealthCheckResult.Unhealthy("Migrations have not been applied yet.");
    }
}
