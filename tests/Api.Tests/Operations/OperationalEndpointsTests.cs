using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Operations;

public sealed class OperationalEndpointsTests(ApiServer server) : IClassFixture<ApiServer>
{
    private readonly HttpClient client = server.Client;

    [Fact]
    public async Task Readiness_reports_database_migrations_and_models()
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("models").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_requests_generation_queue_and_ingestion()
    {
        await client.GetAsync("/v1/models");
        using var chat = await client.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 4 });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        using var response = await client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(Metrics.Value(text, "http_server_request_duration_seconds_count", "http_route=\"/v1/models/\"") >= 1, "request count and latency by route");
        Assert.True(Metrics.Value(text, "rag_generation_time_to_first_token_seconds_count", "endpoint=\"chat\"") >= 1);
        Assert.True(Metrics.Value(text, "rag_generations_total", "endpoint=\"chat\"", "outcome=\"completed\"") >= 1);
        Assert.NotNull(Metrics.Value(text, "rag_generation_queue_depth"));
        Assert.NotNull(Metrics.Value(text, "rag_ingestion_jobs", "state=\"pending\""));
        Assert.NotNull(Metrics.Value(text, "rag_llm_completion_tokens_total"));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_group()
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[]
        {
            "/v1/collections/{collection}/documents", "/v1/collections/{collection}/documents/{id}", "/v1/collections/{collection}/search",
            "/v1/collections/{collection}/ask", "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models",
        })
        {
            Assert.True(paths.Any(p => p.TrimEnd('/') == path), $"{path} missing from {string.Join(", ", paths)}");
        }
    }

    [Fact]
    public async Task The_reference_page_and_the_web_page_are_served()
    {
        using var reference = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);

        var page = await client.GetStringAsync("/");
        Assert.Contains("Ask your documents", page, StringComparison.Ordinal);
        Assert.Contains("app.js", page, StringComparison.Ordinal);
        Assert.Contains("readEvents", await client.GetStringAsync("/app.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_lists_the_llm_and_the_embedding_model_with_the_demo_flag()
    {
        var models = (await client.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["llm", "embedding"], models.Select(m => m.GetProperty("kind").GetString()));
        Assert.All(models, m => Assert.Equal("model", m.GetProperty("object").GetString()));
        Assert.All(models, m => Assert.False(m.GetProperty("demo").GetBoolean()));
        var llm = models[0].GetProperty("id").GetString();
        Assert.Equal(llm, (await client.GetFromJsonAsync<JsonElement>($"/v1/models/{llm}")).GetProperty("id").GetString());
    }
}
