using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Rag.Retrieval.Storage;
using Rag.TestSupport;

namespace Rag.Retrieval.Tests.Storage;

public sealed class MigratorTests
{
    private const int Dimension = 384;

    private static Migrator NewMigrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<Migrator>.Instance);

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static int MigrationFileCount() =>
        typeof(Migrator).Assembly.GetManifestResourceNames().Count(n => n.StartsWith("migrations.", StringComparison.Ordinal));

    [Fact]
    public async Task Applies_cleanly_with_the_configured_dimension()
    {
        await using var db = new PostgresDatabase();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);

        await NewMigrator(dataSource).MigrateAsync(Dimension);

        Assert.True(MigrationFileCount() >= 1);
        Assert.Equal(MigrationFileCount(), await ScalarAsync(dataSource, "SELECT count(*) FROM schema_migrations WHERE type = 0 AND success"));
        Assert.Equal(1, await ScalarAsync(dataSource, "SELECT count(*) FROM pg_extension WHERE extname = 'vector'"));
        Assert.Equal(Dimension, await ScalarAsync(dataSource,
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'"));
        Assert.Equal(1, await ScalarAsync(dataSource,
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'chunks' AND indexdef LIKE '%hnsw%vector_cosine_ops%'"));
    }

    [Fact]
    public async Task Reapplying_is_a_no_op()
    {
        await using var db = new PostgresDatabase();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await NewMigrator(dataSource).MigrateAsync(Dimension);
        var rowsBefore = await ScalarAsync(dataSource, "SELECT count(*) FROM schema_migrations");
        var installedBefore = await ScalarAsync(dataSource, "SELECT max(extract(epoch FROM installed_on) * 1000000)::bigint FROM schema_migrations");

        await NewMigrator(dataSource).MigrateAsync(Dimension);

        Assert.Equal(rowsBefore, await ScalarAsync(dataSource, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(installedBefore, await ScalarAsync(dataSource, "SELECT max(extract(epoch FROM installed_on) * 1000000)::bigint FROM schema_migrations"));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_file_once()
    {
        await using var db = new PostgresDatabase();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);

        var migrators = Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewMigrator(dataSource).MigrateAsync(Dimension)));
        await Task.WhenAll(migrators);

        Assert.Equal(MigrationFileCount(), await ScalarAsync(dataSource, "SELECT count(*) FROM schema_migrations WHERE type = 0"));
        Assert.Equal(0, await ScalarAsync(dataSource, "SELECT count(*) FROM schema_migrations WHERE type = 0 AND NOT success"));
    }

    [Fact]
    public async Task A_changed_applied_file_is_refused_by_name()
    {
        await using var db = new PostgresDatabase();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await NewMigrator(dataSource).MigrateAsync(Dimension);
        // Equivalent to editing the file after it was applied: the recorded checksum no longer matches.
        await using (var tamper = dataSource.CreateCommand("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = '0001'"))
        {
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => NewMigrator(dataSource).MigrateAsync(Dimension));

        Assert.Contains("0001_initial_schema.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_of_another_dimension_is_refused()
    {
        await using var db = new PostgresDatabase();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await NewMigrator(dataSource).MigrateAsync(Dimension);

        var error = await Assert.ThrowsAsync<MigrationException>(() => NewMigrator(dataSource).MigrateAsync(768));

        Assert.Contains("384", error.Message, StringComparison.Ordinal);
        Assert.Contains("768", error.Message, StringComparison.Ordinal);
    }
}
