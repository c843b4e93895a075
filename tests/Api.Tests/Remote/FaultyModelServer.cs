using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests.Remote;

/// <summary>
/// An OpenAI-compatible chat server on loopback that fails the way real ones do, as <see cref="Mode"/> says: an
/// error status, a connection dropped before any answer, or silence until the caller gives up. It records whether
/// the caller's requests were aborted.
/// </summary>
public sealed class FaultyModelServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<TaskCompletionSource> aborts = new();

    private FaultyModelServer(WebApplication app) => this.app = app;

    public enum Failure
    {
        ServerError,
        DroppedConnection,
        Silence,
    }

    public Failure Mode { get; set; }

    public Uri Endpoint => new(app.Urls.Single() + "/v1");

    /// <summary>Completes when the latest silent request has been aborted by its caller.</summary>
    public Task LatestAbort => aborts.LastOrDefault()?.Task ?? Task.CompletedTask;

    public static async Task<FaultyModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FaultyModelServer(builder.Build());
        server.app.MapPost("/v1/chat/completions", server.ChatAsync);
        await server.app.StartAsync();
        return server;
    }

    private async Task ChatAsync(HttpContext context)
    {
        switch (Mode)
        {
            case Failure.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "model crashed", type = "server_error" } });
                break;
            case Failure.DroppedConnection:
                context.Abort();
                break;
            case Failure.Silence:
                var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                aborts.Enqueue(aborted);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    aborted.SetResult();
                }
                break;
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
