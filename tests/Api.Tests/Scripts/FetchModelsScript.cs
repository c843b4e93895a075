using System.Diagnostics;
using Rag.TestSupport;

namespace Rag.Api.Tests.Scripts;

/// <summary>
/// scripts/fetch-models.sh running under bash in a session of its own, so that <see cref="Interrupt"/> reaches its curl
/// too, with the given variables on top of this process's environment minus tokens and proxies (loopback needs none).
/// </summary>
internal sealed class FetchModelsScript : IDisposable
{
    private static readonly string[] Isolated =
        ["HF_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"];

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private FetchModelsScript(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static FetchModelsScript Start(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        // SIGINT back to its default: a test run started in the background (`./test.sh &`) passes it down ignored, and
        // bash cannot trap a signal ignored on entry.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "setsid", "bash", Path.Combine(RepositoryRoot.Path, "scripts", "fetch-models.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var name in Isolated)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new FetchModelsScript(Process.Start(start) ?? throw new InvalidOperationException("Could not start env."));
    }

    /// <summary>Ctrl-C in a terminal: SIGINT to the script's whole process group.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", "--", $"-{_process.Id}"]);
        kill.WaitForExit();
    }

    public async Task<ScriptRun> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fetch-models.sh still ran after 2 minutes: {await _stderr}");
        }
        return new ScriptRun(_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose() => _process.Dispose();
}

internal sealed record ScriptRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Everything the run printed, for assertion messages.</summary>
    public string Output => $"exit {ExitCode}\n{Stdout}\n{Stderr}";
}
