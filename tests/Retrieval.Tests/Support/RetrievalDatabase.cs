using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pgvector.Npgsql;
using Rag.Retrieval.Storage;
using Rag.TestSupport;

namespace Rag.Retrieval.Tests.Support;

/// <summary>A fresh, migrated database on the real server with a pgvector-aware data source.</summary>
public sealed class RetrievalDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase _database;

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString => _database.ConnectionString;

    public static async Task<RetrievalDatabase> CreateAsync(int dimension)
    {
        var database = new PostgresDatabase();
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
        builder.UseVector();
        var created = new RetrievalDatabase(database, builder.Build());
        await new Migrator(created.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(dimension);
        return created;
    }

    private RetrievalDatabase(PostgresDatabase database, NpgsqlDataSource dataSource)
    {
        _database = database;
        DataSource = dataSource;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
