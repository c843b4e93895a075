using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Rag.Api.Tests.Infrastructure;

/// <summary>Queues uploads through the JSON endpoint and follows them to their end.</summary>
internal static class QueuedUploads
{
    /// <summary>Far longer than a queued test document takes; reaching it means the job got stuck.</summary>
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(3);

    /// <summary>Enough text to be queued under any of these tests' settings; <paramref name="marker"/> keeps its content unique.</summary>
    public static string LongText(string marker) =>
        string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"{marker} part {i}. {Corpus.Weather} {Corpus.Soup}"));

    /// <summary>Uploads <paramref name="text"/>, asserts it was queued (202) and returns the id the answer named.</summary>
    public static async Task<Guid> QueueAsync(HttpClient client, string collection, string name, string text)
    {
        using var response = await client.PostAsJsonAsync($"/v1/collections/{collection}/documents", new { name, text });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{name}: expected 202, got {(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        Assert.EndsWith($"/documents/{id}", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return id;
    }

    /// <summary>Polls the document's URL until it is completed or failed (or the service keeps answering otherwise) and returns it.</summary>
    public static async Task<JsonElement> WaitAsync(HttpClient client, string collection, Guid id)
    {
        var deadline = DateTime.UtcNow + GiveUp;
        while (true)
        {
            using var response = await client.GetAsync($"/v1/collections/{collection}/documents/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var document = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (document.GetProperty("status").GetString() is "completed" or "failed" || DateTime.UtcNow > deadline)
                {
                    return document;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"document {id} still answers {(int)response.StatusCode}");
            await Task.Delay(100);
        }
    }
}
