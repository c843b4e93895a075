using System.Diagnostics;

namespace Rag.TestSupport;

/// <summary>
/// The checkout's private PostgreSQL (with pgvector), started once per test process through
/// <c>scripts/postgres.sh</c> — the same script <c>./run.sh</c> uses, so tests run against the real server.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> AdminConnectionString = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string to the server's <c>rag</c> database; used to create and drop test databases.</summary>
    public static string ConnectionString => AdminConnectionString.Value;

    private static string Start()
    {
        Script("start");
        return Script("url").Trim();
    }

    /// <summary>Runs <c>scripts/postgres.sh verb</c>; <paramref name="environment"/> selects another cluster (RAG_DATA_DIR, RAG_PG_PORT).</summary>
    public static string Script(string verb, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout.Result;
    }
}
