using System.Net.Sockets;
using Npgsql;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Tests.Storage;

/// <summary>Which failures mean "the database is not answering now" (503, retry later) and which are a statement's own.</summary>
public sealed class DatabaseOutageTests
{
    [Theory]
    [InlineData("57P01", true)] // admin shutdown: a fast stop or restart
    [InlineData("57P02", true)] // crash shutdown
    [InlineData("57P03", true)] // the server is starting up
    [InlineData("08006", true)] // connection failure
    [InlineData("53300", true)] // too many connections
    [InlineData("23505", false)] // unique violation: the statement's own problem
    [InlineData("22021", false)] // bad input bytes
    [InlineData("42P01", false)] // missing table: a bug, not an outage
    public void A_server_error_is_an_outage_only_when_the_server_cannot_serve(string sqlState, bool outage) =>
        Assert.Equal(outage, DatabaseOutage.Caused(new PostgresException("message", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void A_refused_connection_is_an_outage_even_when_wrapped()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5433", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(DatabaseOutage.Caused(refused));
        Assert.True(DatabaseOutage.Caused(new InvalidOperationException("ingestion failed", refused)));
    }

    [Fact]
    public void Failures_that_do_not_come_from_the_database_are_not_outages()
    {
        Assert.False(DatabaseOutage.Caused(new TimeoutException("a remote model timed out")));
        Assert.False(DatabaseOutage.Caused(new InvalidOperationException("a bug")));
        Assert.False(DatabaseOutage.Caused(null));
    }
}
