using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests.Remote;

/// <summary>
/// An OpenAI-compatible chat and embedding server on loopback that fails the way real ones do, as <see cref="Mode"/>
/// says: an error status, a connection dropped before any answer, or silence until the caller gives up. It records
/// whether the caller's requests were aborted. In <see cref="Failure.None"/> mode it embeds every text as the same
/// unit vector, enough for a service to start on it.
/// </summary>
public sealed class FaultyModelServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<TaskCompletionSource> aborts = new();

    private FaultyModelServer(WebApplication app) => this.app = app;

    public enum Failure
    {
        None,
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
        server.app.MapPost("/v1/chat/completions", server.FailAsync);
        server.app.MapPost("/v1/embeddings", server.EmbedAsync);
        await server.app.StartAsync();
        return server;
    }

    private async Task EmbedAsync(HttpContext context)
    {
        if (Mode != Failure.None)
        {
            await FailAsync(context);
            return;
        }
        var request = await context.Request.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var inputs = request.GetProperty("input");
        var count = inputs.ValueKind == System.Text.Json.JsonValueKind.Array ? inputs.GetArrayLength() : 1;
        float[] vector = [1, 0, 0, 0];
        var base64 = request.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        object Embedding() => base64 ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())) : vector;
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            model = "faulty",
            data = Enumerable.Range(0, count).Select(i => new { @object = "embedding", index = i, embedding = Embedding() }),
            usage = new { prompt_tokens = count, total_tokens = count },
        });
    }

    private async Task FailAsync(HttpContext context)
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
