using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Security;

public sealed class AuthTests(KeyedApiServer server) : IClassFixture<KeyedApiServer>
{
    [Fact]
    public async Task Without_a_key_the_api_answers_401_problem_with_a_bearer_challenge()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/v1/models");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_wrong_key_is_401()
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key");
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("x-api-key")]
    public async Task A_valid_key_is_accepted_as_bearer_token_or_header(string scheme)
    {
        using var client = server.CreateClient();
        if (scheme == "bearer")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyedApiServer.AdminKey);
        }
        else
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", KeyedApiServer.AdminKey);
        }
        using var response = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_limited_to_a_collection_uses_it_and_is_refused_elsewhere_without_writing()
    {
        using var team = server.CreateClient();
        team.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyedApiServer.TeamKey);
        await Corpus.UploadAsync(team, "team-a", "cats.txt", Corpus.Cats);
        var documents = await server.CountRowsAsync("documents");

        using var upload = await team.PostAsJsonAsync("/v1/collections/team-b/documents", new { name = "w.txt", text = Corpus.Weather });
        await ProblemAssert.IsProblemAsync(upload, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await team.GetAsync("/v1/collections/team-b/documents"), HttpStatusCode.Forbidden);
        using var grounded = await team.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "cats?" } },
            collection = "team-b",
        });
        await ProblemAssert.IsProblemAsync(grounded, HttpStatusCode.Forbidden);
        Assert.Equal(documents, await server.CountRowsAsync("documents"));

        using var search = await team.PostAsJsonAsync("/v1/collections/team-a/search", new { query = "cat" });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    [Fact]
    public async Task A_key_limited_to_a_collection_lists_only_it_and_cannot_delete_another()
    {
        using var admin = server.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyedApiServer.AdminKey);
        using var team = server.CreateClient();
        team.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyedApiServer.TeamKey);
        await Corpus.UploadAsync(admin, "team-a", "soup.md", Corpus.Soup);
        await Corpus.UploadAsync(admin, "team-c", "weather.txt", Corpus.Weather);

        var seenByTeam = await team.GetFromJsonAsync<JsonElement>("/v1/collections");
        var seenByAdmin = await admin.GetFromJsonAsync<JsonElement>("/v1/collections");
        using var delete = await team.DeleteAsync("/v1/collections/team-c");

        Assert.Equal(["team-a"], Names(seenByTeam));
        Assert.Contains("team-c", Names(seenByAdmin));
        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.Forbidden);
        Assert.Contains("team-c", Names(await admin.GetFromJsonAsync<JsonElement>("/v1/collections")));
    }

    private static List<string?> Names(JsonElement list) =>
        [.. list.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString())];

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task Health_the_page_and_the_api_description_need_no_key(string path)
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
