using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

public sealed class CollectionsEndpointsTests(ApiServer server) : IClassFixture<ApiServer>
{
    private readonly HttpClient client = server.Client;

    [Fact]
    public async Task Collections_are_listed_with_their_counts_and_the_model_that_wrote_them()
    {
        await Corpus.SeedAsync(client, "listed-three");
        await Corpus.UploadAsync(client, "listed-one", "cats.txt", Corpus.Cats);

        var listed = await ListAsync();

        var three = listed.Single(c => c.GetProperty("name").GetString() == "listed-three");
        Assert.Equal(3, three.GetProperty("documents").GetInt64());
        Assert.True(three.GetProperty("chunks").GetInt64() >= 3);
        Assert.Equal(0, three.GetProperty("queued_jobs").GetInt64());
        var models = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        var embedding = models.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == "embedding");
        Assert.Equal(embedding.GetProperty("full_id").GetString(), three.GetProperty("embedding_model").GetString());
        Assert.Equal(1, listed.Single(c => c.GetProperty("name").GetString() == "listed-one").GetProperty("documents").GetInt64());
    }

    [Fact]
    public async Task Deleting_a_collection_removes_it_and_its_documents_and_a_second_delete_is_404()
    {
        await Corpus.SeedAsync(client, "to-delete");
        await Corpus.UploadAsync(client, "to-keep", "cats.txt", Corpus.Cats);
        var documents = await server.CountRowsAsync("documents");

        using var deleted = await client.DeleteAsync("/v1/collections/to-delete");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(documents - 3, await server.CountRowsAsync("documents"));
        var names = (await ListAsync()).Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("to-delete", names);
        Assert.Contains("to-keep", names);
        using var search = await client.PostAsJsonAsync("/v1/collections/to-delete/search", new { query = "cat" });
        await ProblemAssert.IsProblemAsync(search, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync("/v1/collections/to-delete"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync("/v1/collections/bad%20name"), HttpStatusCode.BadRequest);
    }

    private async Task<List<JsonElement>> ListAsync()
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/v1/collections");
        return [.. body.GetProperty("collections").EnumerateArray()];
    }
}
