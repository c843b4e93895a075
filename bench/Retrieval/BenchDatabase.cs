using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pgvector.Npgsql;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Bench;

/// <summary>A throw-away database on the private server, migrated like the service does it, dropped on dispose.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private BenchDatabase(string admin, string name, NpgsqlDataSource dataSource)
    {
        _admin = admin;
        _name = name;
        DataSource = dataSource;
    }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<BenchDatabase> CreateAsync(string adminConnection, int dimension)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString);
        builder.UseVector();
        var database = new BenchDatabase(adminConnection, name, builder.Build());
        await new Migrator(database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(dimension);
        return database;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
