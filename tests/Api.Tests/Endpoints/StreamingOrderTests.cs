using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Rag.Api.Tests.Infrastructure;
using Rag.Llm.Serving;

namespace Rag.Api.Tests.Endpoints;

/// <summary>
/// One sequence decoding at a time and one queue place, with the <see cref="Corpus"/> documents in
/// <see cref="Collection"/>; the demo decoder's shape with a tied head and no word bias never ends its turn, so a long
/// generation holds the only row until its client goes away.
/// </summary>
public sealed class OneSlotSeededServer : EndlessDecoderServer
{
    public const string Collection = "streaming";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Llm:MaxConcurrentRequests"] = "1";
        settings["Llm:MaxQueuedRequests"] = "1";
    }

    protected override Task SeedAsync() => Corpus.SeedAsync(Client, Collection);
}

/// <summary>
/// The sources of a streamed answer reach the client before prefill starts: the test keeps the engine's only row busy
/// with an endless generation, so no token of the answer can be computed until it lets go, and the sources must arrive
/// while it still holds it.
/// </summary>
public sealed class StreamingOrderTests(OneSlotSeededServer server) : IClassFixture<OneSlotSeededServer>
{
    private const string Question = "Where does the cat like to sit?";

    private int Waiting => server.Services.GetRequiredService<LlmModel>().Engine.Waiting;

    /// <summary>Starts a generation that never ends its turn and returns once its first token arrived (it is running).</summary>
    private async Task<IDisposable> HoldTheOnlyRowAsync(CancellationToken cancellationToken)
    {
        var response = await PostStreamAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 4000, stream = true }, cancellationToken);
        var events = ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken).GetAsyncEnumerator(cancellationToken);
        Assert.True(await events.MoveNextAsync());
        // Disposing the response drops the connection: the engine retires the sequence and frees its row.
        return response;
    }

    [Fact]
    public async Task Ask_stream_sends_its_sources_while_generation_has_not_started()
    {
        // A hang guard, not a timing assertion: before the fix the sources waited for the first token, forever here.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var slot = await HoldTheOnlyRowAsync(guard.Token);
        using var response = await PostStreamAsync($"/v1/collections/{OneSlotSeededServer.Collection}/ask", new { question = Question, stream = true }, guard.Token);
        await using var events = ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync(guard.Token), guard.Token).GetAsyncEnumerator(guard.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal("sources", events.Current.Type);
        Assert.NotEqual(0, events.Current.Json.GetProperty("sources").GetArrayLength());

        slot.Dispose();
        var rest = new List<ServerSentEvent>();
        while (await events.MoveNextAsync())
        {
            rest.Add(events.Current);
        }
        Assert.Equal("done", rest[^1].Type);
        Assert.All(rest[..^1], e => Assert.Equal("delta", e.Type));
    }

    [Fact]
    public async Task Grounded_chat_stream_sends_its_sources_chunk_while_generation_has_not_started()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var slot = await HoldTheOnlyRowAsync(guard.Token);
        using var response = await PostStreamAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = Question } },
            collection = OneSlotSeededServer.Collection,
            stream = true,
        }, guard.Token);
        await using var chunks = ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync(guard.Token), guard.Token).GetAsyncEnumerator(guard.Token);

        Assert.True(await chunks.MoveNextAsync());
        Assert.NotEqual(0, chunks.Current.Json.GetProperty("sources").GetArrayLength());

        slot.Dispose();
        var rest = new List<ServerSentEvent>();
        while (await chunks.MoveNextAsync())
        {
            rest.Add(chunks.Current);
        }
        Assert.Equal("[DONE]", rest[^1].Data);
        Assert.Contains(rest[..^1], c => c.Json.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var text) && text.GetString() is { Length: > 0 });
    }

    [Fact]
    public async Task Ask_stream_that_finds_the_queue_full_after_its_sources_ends_with_a_429_error_event()
    {
        var events = await StreamWithTheQueueFullAsync($"/v1/collections/{OneSlotSeededServer.Collection}/ask", new { question = Question, stream = true });

        Assert.Equal(["sources", "error"], events.Select(e => e.Type));
        Assert.Equal(429, events[1].Json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Grounded_chat_stream_that_finds_the_queue_full_after_its_sources_ends_with_a_429_error_chunk_and_done()
    {
        var chunks = await StreamWithTheQueueFullAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = Question } },
            collection = OneSlotSeededServer.Collection,
            stream = true,
        });

        Assert.Equal(3, chunks.Count);
        Assert.NotEqual(0, chunks[0].Json.GetProperty("sources").GetArrayLength());
        var error = chunks[1].Json.GetProperty("error");
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal("[DONE]", chunks[2].Data);
    }

    /// <summary>Streams <paramref name="body"/> while the only row is busy and the one queue place taken, so the request
    /// is refused by the engine after its response started; returns every event it got.</summary>
    private async Task<List<ServerSentEvent>> StreamWithTheQueueFullAsync(string path, object body)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var slot = await HoldTheOnlyRowAsync(guard.Token);
        Task<HttpResponseMessage> queued;
        var events = new List<ServerSentEvent>();
        try
        {
            // Fills the one queue place; waiting for it to be queued is a condition, not a duration.
            queued = server.Client.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "Hello" } }, max_tokens = 2 }, guard.Token);
            while (Waiting == 0)
            {
                await Task.Delay(10, guard.Token);
            }
            using var response = await PostStreamAsync(path, body, guard.Token);
            await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync(guard.Token), guard.Token))
            {
                events.Add(e);
            }
        }
        finally
        {
            slot.Dispose();
        }
        using var served = await queued;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        return events;
    }

    private async Task<HttpResponseMessage> PostStreamAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
