using System.Net.Sockets;
using Npgsql;

namespace Rag.Retrieval.Storage;

/// <summary>
/// Tells a database that cannot answer right now (down, restarting, unreachable, overloaded) from a statement
/// that failed on its own merits: the first is worth retrying once the database is back, the second is a bug or bad input.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, says the database is unavailable.</summary>
    public static bool Caused(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (IsOutage(current))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsOutage(Exception exception) => exception switch
    {
        // Shutting down (57P01 admin, 57P02 crash) and starting up (57P03) are not all in Npgsql's transient set.
        PostgresException postgres => postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.IsTransient,
        // Connection refused or reset, a read cut off, an exhausted pool: Npgsql marks these transient.
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException or SocketException => true,
        _ => false,
    };
}
