using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Rag.Api.Observability;

/// <summary>Ready when PostgreSQL answers now and this process has applied the migrations.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, Readiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + ex.Message);
        }
        return readiness.MigrationsApplied
            ? HealthCheckResult.Healthy("PostgreSQL answers; migrations applied.")
            : HealthCheckResult.Unhealthy("Migrations have not been applied yet.");
    }
}
