using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

public sealed class SearchEndpointsTests(SeededApiServer server) : IClassFixture<SeededApiServer>
{
    private const string Collection = SeededApiServer.Collection;
    private readonly HttpClient client = server.Client;

    [Theory]
    [InlineData("vector")]
    [InlineData("hybrid")]
    public async Task The_document_sharing_the_query_words_ranks_first(string mode)
    {
        var hits = await SearchAsync(new { query = "a warm cat sleeps near the window", top_k = 3, mode });
        Assert.NotEmpty(hits);
        Assert.Equal("cats.txt", hits[0].GetProperty("document_name").GetString());
        var scores = hits.Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task A_tag_filter_keeps_only_matching_documents()
    {
        var hits = await SearchAsync(new { query = "a warm cat sleeps near the window", top_k = 5, filter = new { topic = "cooking" } });
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal("soup.md", h.GetProperty("document_name").GetString()));
    }

    [Fact]
    public async Task Top_k_bounds_the_number_of_hits()
    {
        Assert.Single(await SearchAsync(new { query = "rain and sun", top_k = 1 }));
    }

    [Fact]
    public async Task An_unknown_collection_is_404()
    {
        using var response = await client.PostAsJsonAsync("/v1/collections/nowhere/search", new { query = "cats" });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Asking_for_reranking_without_a_reranker_is_400_saying_what_to_configure()
    {
        using var response = await client.PostAsJsonAsync($"/v1/collections/{Collection}/search", new { query = "cat", rerank = true });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Reranker:ModelPath", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> SearchAsync(object request)
    {
        using var response = await client.PostAsJsonAsync($"/v1/collections/{Collection}/search", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("hits").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
