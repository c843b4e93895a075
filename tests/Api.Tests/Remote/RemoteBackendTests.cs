using System.Net;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Remote;

/// <summary>The service on remote models (a second instance of itself), through the same endpoints as on local ones.</summary>
public sealed class RemoteBackendTests(RemoteBackedServers servers) : IAsyncLifetime, IClassFixture<RemoteBackedServers>
{
    private const string Collection = "remote";

    public async Task InitializeAsync()
    {
        // Both instances hold the same documents; the downstream embeds them through the upstream's /v1/embeddings.
        foreach (var client in new[] { servers.Downstream.Client, servers.UpstreamClient })
        {
            using var collections = await client.GetAsync($"/v1/collections/{Collection}/documents");
            if (collections.StatusCode == HttpStatusCode.NotFound)
            {
                await Corpus.SeedAsync(client, Collection);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Search_through_a_remote_embedder_scores_with_the_upstream_models_vectors()
    {
        const string Query = "cold rain and wind in the afternoon";
        var remote = await HitsAsync(servers.Downstream.Client, new { query = Query, top_k = 3 });
        Assert.Equal("weather.txt", remote[0].Name);
        // Each score is the cosine of the upstream model's vectors for the prefixed query and the passage as it is.
        var unprefixedDiffers = false;
        foreach (var (_, text, score) in remote)
        {
            var prefixed = await UpstreamVectorsAsync(RemoteBackedServers.QueryPrefix + Query, text);
            Assert.Equal(TensorPrimitives.CosineSimilarity(prefixed[0], prefixed[1]), score, 4);
            var plain = await UpstreamVectorsAsync(Query, text);
            unprefixedDiffers |= Math.Abs(TensorPrimitives.CosineSimilarity(plain[0], plain[1]) - score) > 1e-3;
        }
        Assert.True(unprefixedDiffers, "the prefixes changed no score, so this test could not tell whether they were sent");
    }

    [Fact]
    public async Task Greedy_chat_through_a_remote_llm_is_the_local_models_answer_streamed_or_not()
    {
        var chat = new { messages = new[] { new { role = "user", content = "Tell me about the garden." } }, max_tokens = 12, temperature = 0 };
        var local = await ChatTextAsync(servers.UpstreamClient, chat);
        var remote = await ChatTextAsync(servers.Downstream.Client, chat);
        Assert.False(string.IsNullOrEmpty(local));
        Assert.Equal(local, remote);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { chat.messages, chat.max_tokens, chat.temperature, stream = true }),
        };
        using var response = await servers.Downstream.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var streamed = new StringBuilder();
        await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            if (e.Data != "[DONE]" && e.Json.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                streamed.Append(content.GetString());
            }
        }
        Assert.Equal(local, streamed.ToString());
    }

    [Fact]
    public async Task Streaming_ask_on_remote_models_sends_sources_deltas_and_done_and_generates_upstream()
    {
        var before = await UpstreamChatsAsync("completed");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/collections/{Collection}/ask")
        {
            Content = JsonContent.Create(new { question = "Where does the cat like to sit?", top_k = 2, stream = true, max_tokens = 8 }),
        };
        using var response = await servers.Downstream.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
        }
        Assert.Equal("sources", events[0].Type);
        Assert.Equal("cats.txt", events[0].Json.GetProperty("sources")[0].GetProperty("document_name").GetString());
        Assert.Contains(events, e => e.Type == "delta");
        Assert.Equal("done", events[^1].Type);
        Assert.Equal(JsonValueKind.Array, events[^1].Json.GetProperty("citations").ValueKind);
        // The upstream records its generation when its own stream ends, which may be after ours: wait for it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await UpstreamChatsAsync("completed") < before + 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(before + 1, await UpstreamChatsAsync("completed"));
    }

    [Fact]
    public async Task Mcp_ask_runs_unchanged_on_remote_models()
    {
        var transport = new ModelContextProtocol.Client.HttpClientTransport(new ModelContextProtocol.Client.HttpClientTransportOptions
        {
            Endpoint = new Uri(servers.Downstream.BaseAddress, "/mcp"),
        });
        await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(transport);
        var result = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = "Where does the cat like to sit?", ["collection"] = Collection, ["top_k"] = 2 });
        Assert.NotEqual(true, result.IsError);
        var answer = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal("cats.txt", answer.GetProperty("sources")[0].GetProperty("document_name").GetString());
    }

    [Fact]
    public async Task Raw_completions_need_the_local_model_and_say_so()
    {
        using var response = await servers.Downstream.Client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon", max_tokens = 4 });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotImplemented);
        Assert.Contains("Llm:Endpoint", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<(string Name, string Text, double Score)>> HitsAsync(HttpClient client, object query)
    {
        using var response = await client.PostAsJsonAsync($"/v1/collections/{Collection}/search", query);
        response.EnsureSuccessStatusCode();
        var hits = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hits");
        return hits.EnumerateArray()
            .Select(h => (h.GetProperty("document_name").GetString()!, h.GetProperty("text").GetString()!, h.GetProperty("score").GetDouble()))
            .ToList();
    }

    private async Task<float[][]> UpstreamVectorsAsync(params string[] texts)
    {
        using var response = await servers.UpstreamClient.PostAsJsonAsync("/v1/embeddings", new { input = texts });
        var data = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        return [.. data.EnumerateArray().Select(Vector)];
    }

    private static float[] Vector(JsonElement item) => item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static async Task<string> ChatTextAsync(HttpClient client, object chat)
    {
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", chat);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    private async Task<double> UpstreamChatsAsync(string outcome) =>
        Metrics.Value(await servers.UpstreamClient.GetStringAsync("/metrics"), "rag_generations_total", "endpoint=\"chat\"", $"outcome=\"{outcome}\"") ?? 0;
}
