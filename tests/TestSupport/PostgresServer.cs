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

    private static string Script(string verb)
    {
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start bash.");
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
