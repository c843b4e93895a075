using Rag.TestSupport;

namespace Rag.Api.Tests.Operations;

/// <summary>
/// A PostgreSQL cluster of its own (own data folder, own port) that a test may stop and start without disturbing the
/// tests that share the checkout's cluster. Started by the same <c>scripts/postgres.sh</c> as every other cluster.
/// </summary>
public sealed class DedicatedCluster : IDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly string dataDirectory;

    public DedicatedCluster()
    {
        var port = LoopbackPorts.Free();
        dataDirectory = Path.Combine(RepositoryRoot.Path, ".data", $"dedicated-{port}");
        environment = new() { ["RAG_DATA_DIR"] = dataDirectory, ["RAG_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // A crashed earlier run on the same port may have left its cluster here: start from an empty one, not its data.
        PostgresServer.Script("delete", environment);
        Start();
        ConnectionString = PostgresServer.Script("url", environment).Trim();
    }

    public string ConnectionString { get; }

    public void Start() => PostgresServer.Script("start", environment);

    /// <summary>A fast shutdown, as an administrator or a package upgrade does it: sessions end with 57P01.</summary>
    public void Stop() => PostgresServer.Script("stop", environment);

    /// <summary>Stops the cluster and removes its data through the script, which also removes a cluster it placed under
    /// /var/lib/rag-postgres (as root in a private home), where deleting the folder would remove only the link.</summary>
    public void Dispose()
    {
        PostgresServer.Script("delete", environment);
        Directory.Delete(dataDirectory, recursive: true);
    }
}
