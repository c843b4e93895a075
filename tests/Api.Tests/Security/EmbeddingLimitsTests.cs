using System.Net;
using System.Net.Http.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Security;

/// <summary>
/// <c>/v1/embeddings</c> under small limits (4 inputs, 60 tokens): issue 11 had 5,000 inputs take 36 s and answer 23.7 MB.
/// Past a limit the answer names it and nothing is embedded.
/// </summary>
public sealed class EmbeddingLimitsTests(EmbeddingLimitsTests.LimitedServer server) : IClassFixture<EmbeddingLimitsTests.LimitedServer>
{
    private static readonly string[] FiveInputs = ["a", "b", "c", "d", "e"];
    private static readonly string[] FourInputs = ["cats", "dogs", "mats", "rain"];

    public sealed class LimitedServer : ApiServer
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Api:MaxEmbeddingInputs"] = "4";
            settings["Api:MaxEmbeddingTokens"] = "60";
        }
    }

    [Fact]
    public async Task More_inputs_than_the_limit_is_400_naming_it()
    {
        using var response = await server.Client.PostAsJsonAsync("/v1/embeddings", new { input = FiveInputs });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Api:MaxEmbeddingInputs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_tokens_than_the_limit_is_413_naming_it()
    {
        var longText = string.Join(' ', Enumerable.Repeat("cats sleep on a warm mat", 20));

        using var response = await server.Client.PostAsJsonAsync("/v1/embeddings", new { input = new[] { "short", longText } });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Api:MaxEmbeddingTokens", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_within_both_limits_are_embedded()
    {
        using var response = await server.Client.PostAsJsonAsync("/v1/embeddings", new { input = FourInputs });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(4, body.GetProperty("data").GetArrayLength());
        Assert.InRange(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), 4, 60);
    }
}
