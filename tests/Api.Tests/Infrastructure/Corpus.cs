using System.Net.Http.Json;
using System.Text.Json;

namespace Rag.Api.Tests.Infrastructure;

/// <summary>Short documents in the ModelForge tokenizer's vocabulary, so the lexical encoder ranks by shared words.</summary>
internal static class Corpus
{
    public const string Cats = "Cats are small animals that sleep for most of the day. A cat likes to sit on a warm mat near the window and watch the birds in the garden.";

    public const string Weather = "The weather today is cold and windy, with rain expected in the afternoon. Tomorrow the sun will return and the temperature will rise.";

    public const string Soup = "To cook a simple soup, cut two onions, three carrots and a potato into small pieces. Heat some oil in a pot and add the vegetables.";

    /// <summary>Uploads a text document through the JSON endpoint and returns its id.</summary>
    public static async Task<Guid> UploadAsync(HttpClient client, string collection, string name, string text, object? tags = null)
    {
        using var response = await client.PostAsJsonAsync($"/v1/collections/{collection}/documents", new { name, text, tags });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload of {name} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task SeedAsync(HttpClient client, string collection)
    {
        await UploadAsync(client, collection, "cats.txt", Cats, new { topic = "animals" });
        await UploadAsync(client, collection, "weather.txt", Weather, new { topic = "weather" });
        await UploadAsync(client, collection, "soup.md", Soup, new { topic = "cooking" });
    }
}
