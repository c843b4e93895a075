using EvolveDb;
using EvolveDb.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Rag.Retrieval.Storage;

/// <summary>
/// Applies <c>migrations/NNNN_*.sql</c> (embedded in this assembly) in order, through Evolve:
/// a <c>schema_migrations</c> table, one transaction per file, a PostgreSQL advisory lock held
/// while migrating so concurrent instances queue instead of racing, and a refusal to start when
/// an applied file's checksum no longer matches.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    public const string MetadataTable = "schema_migrations";

    public async Task MigrateAsync(int embeddingDimension, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDimension);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await EnsureDimensionMatchesAsync(connection, embeddingDimension, cancellationToken);

        var evolve = new Evolve(connection, message => logger.LogInformation("{Message}", message))
        {
            MigrationLoader = new NumberedSqlMigrations(),
            MetadataTableName = MetadataTable,
            Placeholders = new Dictionary<string, string> { ["${embedding_dimension}"] = embeddingDimension.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            TransactionMode = TransactionKind.CommitEach,
            EnableClusterMode = true,
            MustEraseOnValidationError = false,
        };
        try
        {
            evolve.Migrate();
        }
        catch (EvolveException ex)
        {
            throw new MigrationException($"Database migration failed: {ex.Message}", ex);
        }
        // The data source may have loaded its type catalogue before the first migration created
        // the vector extension; reload so vectors (UseVector) can be written on every connection.
        await connection.ReloadTypesAsync(cancellationToken);
    }

    // The column's type modifier is the dimension it was created with; a different model would
    // write vectors the column rejects, so say so plainly before anything else runs.
    private static async Task EnsureDimensionMatchesAsync(NpgsqlConnection connection, int expected, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT a.atttypmod
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass('chunks') AND a.attname = 'embedding' AND NOT a.attisdropped
            """, connection);
        if (await command.ExecuteScalarAsync(cancellationToken) is int actual && actual != expected)
        {
            throw new MigrationException(
                $"The database stores {actual}-dimension vectors but the configured embedding model produces {expected}. " +
                "Point ConnectionStrings__Postgres at a new database, or configure an embedding model of dimension " + actual + ".");
        }
    }
}

public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
