using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Rag.TestSupport;

namespace Rag.Eval.Tests;

/// <summary>
/// The real service on Kestrel over loopback with its own PostgreSQL database, ModelForge's lexical encoder (texts
/// sharing words are near), a forged cross-encoder as reranker and the tiny decoder; three documents in <see cref="Collection"/>.
/// </summary>
public sealed class EvalServer : IAsyncLifetime, IAsyncDisposable
{
    public const string Collection = "library";

    public const string ApiKey = "eval-test-key";

    private readonly PostgresDatabase database = new();
    private WebApplicationFactory<Program>? factory;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        factory = await LoopbackService.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Llm:ModelPath"] = ForgedModels.Decoder(),
            ["Embedding:ModelPath"] = ForgedModels.Encoder(lexical: true),
            ["Reranker:ModelPath"] = ForgedModels.CrossEncoder(),
            ["Api:Keys:0:Key"] = ApiKey,
            ["Retrieval:MinRelevance"] = "-1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var client = factory.CreateClient();
        BaseAddress = client.BaseAddress!;
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        await UploadAsync(client, "cats.txt", "Cats are small animals that sleep for most of the day. A cat likes to sit on a warm mat near the window and watch the birds in the garden.");
        await UploadAsync(client, "weather.txt", "The weather today is cold and windy, with rain expected in the afternoon. Tomorrow the sun will return and the temperature will rise.");
        await UploadAsync(client, "soup.md", "To cook a simple soup, cut two onions, three carrots and a potato into small pieces. Heat some oil in a pot and add the vegetables.");
    }

    private static async Task UploadAsync(HttpClient client, string name, string text)
    {
        using var response = await client.PostAsJsonAsync($"/v1/collections/{Collection}/documents", new { name, text });
        Assert.True(response.IsSuccessStatusCode, $"upload of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        await database.DisposeAsync();
    }
}
