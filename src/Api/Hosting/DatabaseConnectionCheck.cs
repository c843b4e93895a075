using Npgsql;

namespace Rag.Api.Hosting;

/// <summary>
/// Runs before the migration: an unreachable PostgreSQL stops the service with
/// where it looked and how to fix it, instead of a socket error from deep inside the migrator.
/// </summary>
internal sealed class DatabaseConnectionCheck(NpgsqlDataSource dataSource) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new StartupException(
                $"Cannot reach PostgreSQL at {target.Host}:{target.Port} (database '{target.Database}', user '{target.Username}'): {ex.Message} " +
                "Start it (bash scripts/postgres.sh start) or point ConnectionStrings__Postgres at a running server with pgvector.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
