using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Npgsql;
using Rag.TestSupport;

namespace Rag.Api.Tests.Scripts;

/// <summary>
/// The real scripts/postgres.sh copied into a checkout inside a mode-0700 "home" (as /root is), run on a spare port:
/// the server's OS user cannot enter that folder, yet start, status, url and stop must work and the home keeps its mode.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PostgresScriptTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _home = Path.Combine(Path.GetTempPath(), $"rag-home-{Guid.NewGuid():N}");
    private readonly string _checkout;

    public PostgresScriptTests()
    {
        Directory.CreateDirectory(_home, OwnerOnly);
        _checkout = Path.Combine(_home, "rag");
        Directory.CreateDirectory(Path.Combine(_checkout, "scripts"));
        File.Copy(Path.Combine(RepositoryRoot.Path, "scripts", "postgres.sh"), Path.Combine(_checkout, "scripts", "postgres.sh"));
    }

    [Fact]
    public async Task A_checkout_in_a_private_home_starts_reports_its_running_port_and_stops()
    {
        var port = LoopbackPorts.Free();
        var start = await RunAsync("start", port);
        Assert.True(start.ExitCode == 0, start.Stderr);

        // Asked with another port, status names the one the running cluster listens on.
        var status = await RunAsync("status", port + 1);
        Assert.Equal(0, status.ExitCode);
        Assert.StartsWith($"running on 127.0.0.1:{port} ", status.Stdout, StringComparison.Ordinal);

        var url = await RunAsync("url", port + 1);
        await using (var connection = new NpgsqlConnection(url.Stdout.Trim()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'", connection);
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_home));

        Assert.Equal(0, (await RunAsync("stop", port)).ExitCode);
        var stopped = await RunAsync("status", port);
        Assert.Equal(3, stopped.ExitCode);
        Assert.Equal("stopped", stopped.Stdout.Trim());
    }

    [Fact]
    public async Task A_checkout_cloned_again_at_the_same_path_reuses_the_cluster_the_deleted_one_kept_outside()
    {
        var port = LoopbackPorts.Free();
        Assert.True((await RunAsync("start", port)).ExitCode == 0);
        await ExecuteAsync(port, "CREATE TABLE kept_across_clones (id int)");
        // The clone is deleted while its cluster runs, then cloned again at the same path.
        Directory.Delete(Path.Combine(_checkout, ".data"), recursive: true);

        var again = await RunAsync("start", port);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("reusing the cluster", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await ExecuteAsync(port, "SELECT count(*) FROM pg_tables WHERE tablename = 'kept_across_clones'"));

        Assert.Equal(0, (await RunAsync("stop", port)).ExitCode);
        Directory.Delete(Path.Combine(_checkout, ".data"), recursive: true);
        var stopped = await RunAsync("start", port);
        Assert.True(stopped.ExitCode == 0, stopped.Stderr);
        Assert.Equal(1L, await ExecuteAsync(port, "SELECT count(*) FROM pg_tables WHERE tablename = 'kept_across_clones'"));
    }

    [Fact]
    public async Task Delete_stops_the_cluster_and_removes_the_data_it_keeps_outside_the_checkout()
    {
        var port = LoopbackPorts.Free();
        var start = await RunAsync("start", port);
        Assert.True(start.ExitCode == 0, start.Stderr);
        var link = new DirectoryInfo(Path.Combine(_checkout, ".data", "postgres"));
        var cluster = link.LinkTarget;
        Assert.NotNull(cluster);
        Assert.True(File.Exists(Path.Combine(cluster, "PG_VERSION")));

        var delete = await RunAsync("delete", port);
        Assert.True(delete.ExitCode == 0, delete.Stderr);

        Assert.False(Directory.Exists(cluster));
        Assert.False(Path.Exists(link.FullName));
        Assert.Equal(3, (await RunAsync("status", port)).ExitCode);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    public void Dispose()
    {
        RunAsync("stop", 0).GetAwaiter().GetResult();
        // As root the cluster lives outside the checkout, behind the link the script left in .data.
        var link = new DirectoryInfo(Path.Combine(_checkout, ".data", "postgres"));
        if (link.LinkTarget is { } cluster && Directory.Exists(cluster))
        {
            Directory.Delete(cluster, recursive: true);
        }
        Directory.Delete(_home, recursive: true);
    }

    private async Task<object?> ExecuteAsync(int port, string sql)
    {
        var url = await RunAsync("url", port);
        // Unpooled: a pooled connection would outlive the server's restart and fail with 57P01.
        await using var connection = new NpgsqlConnection(url.Stdout.Trim() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string verb, int port)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(_checkout, "scripts", "postgres.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _checkout,
        };
        start.Environment.Remove("RAG_DATA_DIR");
        start.Environment["RAG_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
