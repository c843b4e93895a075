using System.Net.Http.Json;

namespace Rag.Load.Bench;

/// <summary>A few short documents to retrieve from (re-uploading the same content is a no-op).</summary>
internal static class Seed
{
    private static readonly (string Name, string Text)[] Documents =
    [
        ("cats.txt", "Cats are small animals that sleep for most of the day. A cat likes to sit on a warm mat near the window and watch the birds in the garden."),
        ("weather.txt", "The weather today is cold and windy, with rain expected in the afternoon. Tomorrow the sun will return and the temperature will rise."),
        ("soup.txt", "To cook a simple soup, cut two onions, three carrots and a potato into small pieces. Heat some oil in a pot and add the vegetables."),
    ];

    public static async Task UploadAsync(HttpClient client, string collection)
    {
        foreach (var (name, text) in Documents)
        {
            using var response = await client.PostAsJsonAsync($"/v1/collections/{collection}/documents", new { name, text });
            response.EnsureSuccessStatusCode();
        }
    }
}
