using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

/// <summary>Models are listed by short id (the folder name), and requests may name a model by short id, full id or not at all.</summary>
public sealed class ModelNamesTests(ApiServer server) : IClassFixture<ApiServer>
{
    private readonly HttpClient client = server.Client;

    private async Task<JsonElement> ModelAsync(string kind) =>
        (await client.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("data").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == kind);

    [Fact]
    public async Task Models_are_listed_by_short_id_with_the_weights_hash_as_metadata()
    {
        var embedding = await ModelAsync("embedding");
        var id = embedding.GetProperty("id").GetString()!;
        var weights = embedding.GetProperty("weights").GetString()!;
        Assert.DoesNotContain("@", id, StringComparison.Ordinal);
        Assert.Matches("^sha256:[0-9a-f]{16}$", weights);
        Assert.Equal($"{id}@{weights}", embedding.GetProperty("full_id").GetString());
        foreach (var name in new[] { id, $"{id}@{weights}", id.ToUpperInvariant() })
        {
            Assert.Equal(id, (await client.GetFromJsonAsync<JsonElement>($"/v1/models/{name}")).GetProperty("id").GetString());
        }

        var llm = (await ModelAsync("llm")).GetProperty("id").GetString()!;
        Assert.Equal(llm, (await client.GetFromJsonAsync<JsonElement>($"/v1/models/{llm}")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Embeddings_accept_the_short_id_the_full_id_or_no_model()
    {
        var model = await ModelAsync("embedding");
        foreach (var name in new[] { model.GetProperty("id").GetString(), model.GetProperty("full_id").GetString(), null })
        {
            using var response = await client.PostAsJsonAsync("/v1/embeddings", new { model = name, input = "replication" });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"model '{name}': {(int)response.StatusCode}");
        }
        using var unknown = await client.PostAsJsonAsync("/v1/embeddings", new { model = "text-embedding-3-small", input = "replication" });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Chat_accepts_the_short_id_the_full_id_or_no_model()
    {
        var model = await ModelAsync("llm");
        foreach (var name in new[] { model.GetProperty("id").GetString(), model.GetProperty("full_id").GetString(), null })
        {
            using var response = await client.PostAsJsonAsync("/v1/chat/completions",
                new { model = name, messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"model '{name}': {(int)response.StatusCode}");
        }
        using var unknown = await client.PostAsJsonAsync("/v1/chat/completions",
            new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }
}
