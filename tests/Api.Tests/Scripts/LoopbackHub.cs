using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests.Scripts;

/// <summary>
/// The two Hugging Face hub routes scripts/fetch-models.sh uses, on Kestrel over loopback: <c>/api/models/{repo}</c>
/// (200 with the file list, 404 for an unknown repo) and <c>/{repo}/resolve/main/{file}</c> serving a local folder
/// (404 for a file it lacks, ranges honoured as the hub's CDN does). Every request's path, Authorization and Range
/// headers are recorded.
/// </summary>
internal sealed class LoopbackHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, string> _repos;
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _cutOnce = new();

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
        hub._app.MapGet("/{owner}/{name}/resolve/main/{**file}", hub.ResolveAsync);
        await hub._app.StartAsync();
        return hub;
    }

    /// <summary>The first download of <paramref name="file"/> breaks off after half its bytes, as a dropped connection does.</summary>
    public void CutFirstDownloadOf(string repo, string file) => _cutOnce[$"{repo}/{file}"] = true;

    private IResult Info(string owner, string name)
    {
        var repo = $"{owner}/{name}";
        if (!_repos.TryGetValue(repo, out var folder))
        {
            return Results.NotFound(new { error = "Repository not found" });
        }
        var siblings = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => new { rfilename = Path.GetRelativePath(folder, path).Replace('\\', '/') });
        return Results.Json(new { id = repo, siblings });
    }

    private async Task<IResult> ResolveAsync(HttpContext context, string owner, string name, string file)
    {
        var repo = $"{owner}/{name}";
        if (!_repos.TryGetValue(repo, out var folder))
        {
            return Results.NotFound();
        }
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(root, file));
        if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
        {
            return Results.NotFound(new { error = "Entry not found" });
        }
        if (_cutOnce.TryRemove($"{repo}/{file}", out _))
        {
            var bytes = await File.ReadAllBytesAsync(path);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await context.Response.Body.FlushAsync();
            // Time for the client to read what was sent: a reset discards what it has not read yet.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            context.Abort();
            return Results.Empty;
        }
        return Results.File(path, "application/octet-stream", enableRangeProcessing: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record HubRequest(string Path, string Authorization, string Range);
