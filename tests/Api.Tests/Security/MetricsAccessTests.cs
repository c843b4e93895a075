using System.Net;
using System.Net.Http.Headers;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Security;

/// <summary>
/// With API keys configured, <c>/metrics</c> (every tenant's job counts, the model ids) needs a key for every
/// collection or the scraper's <c>Api:MetricsKey</c>, which opens nothing else.
/// </summary>
public sealed class MetricsAccessTests(KeyedApiServer server) : IClassFixture<KeyedApiServer>
{
    [Fact]
    public async Task Without_a_key_metrics_are_401()
    {
        using var client = server.CreateClient();

        await ProblemAssert.IsProblemAsync(await client.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_for_every_collection_reads_metrics()
    {
        using var client = Client(KeyedApiServer.AdminKey);

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_limited_to_some_collections_is_refused_metrics()
    {
        using var client = Client(KeyedApiServer.TeamKey);

        await ProblemAssert.IsProblemAsync(await client.GetAsync("/metrics"), HttpStatusCode.Forbidden);
        // The same key still works where it is allowed.
        using var models = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    [Fact]
    public async Task The_metrics_key_reads_metrics_and_nothing_else()
    {
        using var client = Client(KeyedApiServer.MetricsKey);

        using var metrics = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/collections"), HttpStatusCode.Unauthorized);
    }

    private HttpClient Client(string key)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
