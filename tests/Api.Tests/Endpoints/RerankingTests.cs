using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;
using Rag.TestSupport;

namespace Rag.Api.Tests.Endpoints;

/// <summary>The service with a forged cross-encoder as <c>Reranker:ModelPath</c>.</summary>
public sealed class RerankingApiServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Reranker:ModelPath"] = ForgedModels.CrossEncoder();

    protected override Task SeedAsync() => Corpus.SeedAsync(Client, "reranked");
}

public sealed class RerankingTests(RerankingApiServer server) : IClassFixture<RerankingApiServer>
{
    private async Task<JsonElement> SearchAsync(object body)
    {
        using var response = await server.Client.PostAsJsonAsync("/v1/collections/reranked/search", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Search_is_reranked_by_the_cross_encoder_unless_asked_not_to()
    {
        var reranked = await SearchAsync(new { query = "Where does the cat like to sit?", top_k = 3, min_score = -1 });
        var plain = await SearchAsync(new { query = "Where does the cat like to sit?", top_k = 3, min_score = -1, rerank = false });

        var scores = reranked.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(3, scores.Count);
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.True(reranked.GetProperty("rerank_ms").GetDouble() > 0);
        // Without reranking the score is the cosine similarity again, and no rerank time is reported.
        Assert.All(plain.GetProperty("hits").EnumerateArray(), h => Assert.Equal(h.GetProperty("relevance").GetDouble(), h.GetProperty("score").GetDouble(), 6));
        Assert.False(plain.TryGetProperty("rerank_ms", out _));
    }

    [Fact]
    public async Task The_reranker_is_listed_with_the_models()
    {
        var models = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("kind").GetString() == "reranker");
    }
}
