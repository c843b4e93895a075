using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests.Remote;

/// <summary>
/// An OpenAI-compatible chat and embedding server on loopback that fails the way real ones do, as <see cref="Mode"/>
/// says: an error status, a connection dropped before any answer, silence until the caller gives up, or a streamed
/// answer that never ends. It records whether the caller's requests were aborted. In <see cref="Failure.None"/> mode
/// it embeds every text as the same unit vector, enough for a service to start on it.
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

        /// <summary>A streamed chat answer, one word every 50 ms, until the caller goes away.</summary>
        Endless,
    }

    public Failure Mode { get; set; }

    public Uri Endpoint => new(app.Urls.Single() + "/v1");

    /// <summary>Completes when the latest silent or endless request has been aborted by its caller.</summary>
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
                await UntilAbortedAsync(context, () => Task.Delay(Timeout.Infinite, context.RequestAborted));
                break;
            case Failure.Endless:
                context.Response.ContentType = "text/event-stream";
                await UntilAbortedAsync(context, async () =>
                {
                    for (;;)
                    {
                        await context.Response.WriteAsync(
                            """data: {"id":"endless","object":"chat.completion.chunk","created":0,"model":"faulty","choices":[{"index":0,"delta":{"content":"word "},"finish_reason":null}]}""" + "\n\n",
                            context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        await Task.Delay(50, context.RequestAborted);
                    }
                });
                break;
        }
    }

    private async Task UntilAbortedAsync(HttpContext context, Func<Task> answer)
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        aborts.Enqueue(aborted);
        try
        {
            await answer();
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            aborted.SetResult();
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
