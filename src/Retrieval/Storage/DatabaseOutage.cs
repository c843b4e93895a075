using Npgsql;

namespace Rag.Retrieval.Storage;

/// <summary>
/// Tells a database that cannot answer right now (down, restarting, unreachable, overloaded) from a statement
/// that failed on its own merits: the first is worth retrying once the database is back, the second is a bug or bad input.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, is Npgsql saying the database is unavailable.</summary>
    public static bool Caused(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // Shutting down (57P01 admin, 57P02 crash), starting up (57P03) and connection errors (08xxx) are not all
                // in Npgsql's transient set.
                case PostgresException postgres:
                    return postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.IsTransient;
                // Connection refused or reset, a read cut off, a timeout, an exhausted pool: Npgsql marks these transient.
                case NpgsqlException npgsql:
                    return npgsql.IsTransient;
            }
        }
        return false;
    }
}
