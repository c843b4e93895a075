using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

public sealed class DisconnectTests(EndlessDecoderServer server) : IClassFixture<EndlessDecoderServer>
{
    // Greedy on a decoder that never ends its turn: 4,000 tokens of text, streamed one by one, so the service writes
    // (and finds the connection gone) long before the generation could end by itself.
    private static object LongChat(bool stream) => new
    {
        messages = new[] { new { role = "user", content = "Tell me a long story about the library." } },
        max_tokens = 4000,
        temperature = 0,
        stream,
    };

    [Fact]
    public async Task A_streaming_client_that_disconnects_cancels_its_generation()
    {
        using (var whole = await server.Client.PostAsJsonAsync("/v1/chat/completions", LongChat(stream: false)))
        {
            var usage = (await whole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
            Assert.Equal(4000, usage.GetProperty("completion_tokens").GetInt32());
        }
        var cancelledBefore = await CancelledAsync();
        var completedBefore = await CompletedAsync();

        // A client that goes away closes its connection; HttpClient would otherwise drain the rest of the body to reuse it.
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseAddress })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(LongChat(stream: true)) })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
            {
                if (e.Data.Contains("\"content\":\"", StringComparison.Ordinal) && !e.Data.Contains("\"content\":\"\"", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await CancelledAsync() == cancelledBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(cancelledBefore + 1, await CancelledAsync());
        Assert.Equal(completedBefore, await CompletedAsync());
    }

    private async Task<double> CancelledAsync() => await GenerationsAsync("cancelled");

    private async Task<double> CompletedAsync() => await GenerationsAsync("completed");

    private async Task<double> GenerationsAsync(string outcome) =>
        Metrics.Value(await server.Client.GetStringAsync("/metrics"), "rag_generations_total", "endpoint=\"chat\"", $"outcome=\"{outcome}\"") ?? 0;
}
