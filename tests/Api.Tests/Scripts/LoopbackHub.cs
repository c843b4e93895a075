using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests.Scripts;

/// <summary>
/// The two Hugging Face hub routes scripts/fetch-models.sh uses, on Kestrel over loopback: <c>/api/models/{repo}</c>
/// (200 with the commit and the file list, 404 for an unknown repo) and
/// <c>/{repo}/resolve/{main or the commit}/{file}</c> serving a local folder (404 for a file it lacks, ranges honoured
/// as the hub's CDN does). Every request's path, Authorization and Range headers are recorded.
/// </summary>
internal sealed class LoopbackHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, string> _repos;
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Break> _breaks = new();
    private readonly ConcurrentDictionary<string, bool> _gated = new();
    private readonly ConcurrentDictionary<string, bool> _commitHidden = new();

    private LoopbackHub(WebApplication app, IReadOnlyDictionary<string, string> repos)
    {
        _app = app;
        _repos = repos;
    }

    public string Endpoint => _app.Urls.Single();

    public IReadOnlyCollection<HubRequest> Requests => _requests;

    /// <summary>Serves each repo id ("owner/name") from its folder.</summary>
    public static async Task<LoopbackHub> StartAsync(IReadOnlyDictionary<string, string> repos)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var hub = new LoopbackHub(builder.Build(), repos);
        hub._app.Use((context, next) =>
        {
            hub._requests.Enqueue(new HubRequest(
                context.Request.Path, context.Request.Headers.Authorization.ToString(), context.Request.Headers.Range.ToString()));
            return next(context);
        });
        hub._app.MapGet("/api/models/{owner}/{name}", hub.Info);
        hub._app.MapGet("/{owner}/{name}/resolve/{revision}/{**file}", hub.ResolveAsync);
        await hub._app.StartAsync();
        return hub;
    }

    /// <summary>The first download of <paramref name="file"/> breaks off after half its bytes, as a dropped connection does.</summary>
    public void CutFirstDownloadOf(string repo, string file) => _breaks[$"{repo}/{file}"] = new Break(Stall: false);

    /// <summary>
    /// The first download of <paramref name="file"/> sends half its bytes, then nothing until the client goes away;
    /// the task completes once the half is sent.
    /// </summary>
    public Task StallFirstDownloadOf(string repo, string file)
    {
        var stall = new Break(Stall: true);
        _breaks[$"{repo}/{file}"] = stall;
        return stall.HalfSent.Task;
    }

    /// <summary>The commit main points at, which the model page states.</summary>
    public static string Commit(string repo) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repo)))[..40];

    /// <summary>The model page of <paramref name="repo"/> leaves the commit out, as a plain mirror might.</summary>
    public void HideCommit(string repo) => _commitHidden[repo] = true;

    /// <summary>Files of <paramref name="repo"/> need a bearer token, as a gated repo's do; its model page stays public.</summary>
    public void Gate(string repo) => _gated[repo] = true;

    private IResult Info(string owner, string name)
    {
        var repo = $"{owner}/{name}";
        if (!_repos.TryGetValue(repo, out var folder))
        {
            return Results.NotFound(new { error = "Repository not found" });
        }
        var siblings = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => new { rfilename = Path.GetRelativePath(folder, path).Replace('\\', '/') });
        return _commitHidden.ContainsKey(repo)
            ? Results.Json(new { id = repo, siblings })
            : Results.Json(new { id = repo, sha = Commit(repo), siblings });
    }

    private async Task<IResult> ResolveAsync(HttpContext context, string owner, string name, string revision, string file)
    {
        var repo = $"{owner}/{name}";
        if (!_repos.TryGetValue(repo, out var folder) || (revision != "main" && revision != Commit(repo)))
        {
            return Results.NotFound();
        }
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(root, file));
        if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
        {
            return Results.NotFound(new { error = "Entry not found" });
        }
        if (_gated.ContainsKey(repo) && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Results.Unauthorized();
        }
        if (_breaks.TryRemove($"{repo}/{file}", out var broken))
        {
            await BreakAsync(context, path, broken);
            return Results.Empty;
        }
        return Results.File(path, "application/octet-stream", enableRangeProcessing: true);
    }

    private static async Task BreakAsync(HttpContext context, string path, Break broken)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await context.Response.Body.FlushAsync();
        broken.HalfSent.TrySetResult();
        try
        {
            // Time for the client to read what was sent: a reset discards what it has not read yet.
            await Task.Delay(broken.Stall ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(300), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away first.
        }
        context.Abort();
    }

    private sealed record Break(bool Stall)
    {
        public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record HubRequest(string Path, string Authorization, string Range);
