using System.Net;
using System.Net.Http.Json;
using System.Text;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

/// <summary>Room for sixteen sequences in one decode batch.</summary>
public sealed class SixteenStreamServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Llm:MaxConcurrentRequests"] = "16";
        settings["Llm:MaxQueuedRequests"] = "16";
    }
}

public sealed class ConcurrentStreamsTests(SixteenStreamServer server) : IClassFixture<SixteenStreamServer>
{
    private const int Streams = 16;

    private static readonly string[] Words =
        ["cats", "maps", "old", "books", "under", "stairs", "quiet", "river", "stone", "light", "paper", "window", "garden",
         "winter", "candles", "letters", "music", "bridge", "forest", "clock", "harbor", "silver"];

    [Fact]
    public async Task Sixteen_concurrent_streams_each_get_the_text_they_get_alone()
    {
        var alone = new List<string>();
        for (var i = 0; i < Streams; i++)
        {
            alone.Add(await StreamAsync(i));
        }

        var together = await Task.WhenAll(Enumerable.Range(0, Streams).Select(i => Task.Run(() => StreamAsync(i))));

        // Distinct prompts give distinct texts, so a token delivered to the wrong stream would show.
        Assert.True(alone.Distinct().Count() > Streams / 2, string.Join(" | ", alone));
        Assert.Equal(alone, together);
    }

    private async Task<string> StreamAsync(int index)
    {
        using var client = server.CreateClient();
        // A raw prompt (no chat template) ending in its own words: the random-weight model continues each differently.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new
            {
                prompt = $"the library keeps {string.Join(' ', Words.Skip(index).Take(3 + (index % 5)))}",
                stream = true,
                max_tokens = 12 + index,
                temperature = 0,
            }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = new StringBuilder();
        await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            if (e.Data == "[DONE]")
            {
                break;
            }
            foreach (var choice in e.Json.GetProperty("choices").EnumerateArray())
            {
                text.Append(choice.GetProperty("text").GetString());
            }
        }
        return text.ToString();
    }
}
