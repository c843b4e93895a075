using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Operations;

/// <summary>Whether an upload is ingested at once, queued or refused depends on its expected work and the queue's size limit.</summary>
public sealed class UploadRoutingTests(UploadRoutingTests.Server server) : IClassFixture<UploadRoutingTests.Server>
{
    /// <summary>Every test text is read (bytes are no limit); eight estimated chunks are ingested inline; queued files stop at 64 KiB.</summary>
    public sealed class Server : ApiServer
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Api:SynchronousIngestBytes"] = "262144";
            settings["Api:SynchronousIngestChunks"] = "8";
            settings["Api:MaxQueuedUploadBytes"] = "65536";
        }
    }

    private readonly HttpClient client = server.Client;

    [Fact]
    public async Task A_document_with_little_to_embed_is_ingested_before_the_answer()
    {
        using var response = await client.PostAsJsonAsync("/v1/collections/route-small/documents", new { name = "cats.txt", text = Corpus.Cats });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("completed", document.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_document_with_much_to_embed_is_queued_under_the_id_the_finished_document_has()
    {
        // About 12 KB: far below the byte limit, but many chunks' worth of text.
        var id = await QueuedUploads.QueueAsync(client, "route-queued", "long.txt", QueuedUploads.LongText("routing"));

        var finished = await QueuedUploads.WaitAsync(client, "route-queued", id);

        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal(id, finished.GetProperty("id").GetGuid());
        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/collections/route-queued/documents");
        Assert.Equal([id], listed.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        Assert.Equal(finished.GetProperty("chunk_count").GetInt32(), await server.CountRowsAsync($"chunks WHERE document_id = '{id}'"));
    }

    [Fact]
    public async Task A_file_too_large_for_the_queue_is_refused_with_413_naming_the_setting_and_nothing_is_stored()
    {
        var text = string.Concat(Enumerable.Repeat(Corpus.Weather + "\n", 800));
        Assert.InRange(text.Length, 65537, 200_000);

        using var response = await client.PostAsJsonAsync("/v1/collections/route-huge/documents", new { name = "huge.txt", text });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Api:MaxQueuedUploadBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await server.CountRowsAsync("ingestion_jobs WHERE collection = 'route-huge'"));
        Assert.Equal(0, await server.CountRowsAsync("collections WHERE name = 'route-huge'"));
    }

    [Fact]
    public async Task Mcp_ingest_text_is_routed_by_the_same_rules()
    {
        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.BaseAddress, "/mcp") }));
        Task<CallToolResult> IngestAsync(string collection, string name, string text) =>
            mcp.CallToolAsync("ingest_text", new Dictionary<string, object?> { ["collection"] = collection, ["name"] = name, ["text"] = text }).AsTask();

        var small = await IngestAsync("route-mcp", "cats.txt", Corpus.Cats);
        Assert.Equal("completed", Structured(small).GetProperty("status").GetString());

        // Far below the byte limit, but many chunks' worth: queued under the id the finished document has.
        var queued = Structured(await IngestAsync("route-mcp", "long.txt", QueuedUploads.LongText("mcp routing")));
        Assert.Equal("pending", queued.GetProperty("status").GetString());
        var id = queued.GetProperty("id").GetGuid();
        Assert.Equal(id, (await QueuedUploads.WaitAsync(client, "route-mcp", id)).GetProperty("id").GetGuid());

        var huge = await IngestAsync("route-mcp-huge", "huge.txt", string.Concat(Enumerable.Repeat(Corpus.Weather + "\n", 800)));
        Assert.True(huge.IsError);
        Assert.Equal(413, Structured(huge).GetProperty("status").GetInt32());
        Assert.Contains("Api:MaxQueuedUploadBytes", Assert.IsType<TextContentBlock>(Assert.Single(huge.Content)).Text, StringComparison.Ordinal);
        Assert.Equal(0, await server.CountRowsAsync("ingestion_jobs WHERE collection = 'route-mcp-huge'"));
    }

    [Fact]
    public async Task Mcp_get_document_follows_a_queued_repeat_of_stored_content_to_the_stored_document()
    {
        var text = QueuedUploads.LongText("repeated");
        var stored = await QueuedUploads.QueueAsync(client, "route-repeat", "first.txt", text);
        await QueuedUploads.WaitAsync(client, "route-repeat", stored);
        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.BaseAddress, "/mcp") }));

        // The repeat is queued under its job's id and completes as the document already stored.
        var repeat = Structured(await mcp.CallToolAsync("ingest_text", new Dictionary<string, object?> { ["collection"] = "route-repeat", ["name"] = "again.txt", ["text"] = text }));
        var jobId = repeat.GetProperty("id").GetGuid();
        Assert.NotEqual(stored, jobId);
        await QueuedUploads.WaitAsync(client, "route-repeat", jobId);

        var fetched = Structured(await mcp.CallToolAsync("get_document", new Dictionary<string, object?> { ["collection"] = "route-repeat", ["id"] = jobId }));
        Assert.Equal(stored, fetched.GetProperty("document").GetProperty("id").GetGuid());
        Assert.Contains("repeated part 39.", fetched.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Structured(CallToolResult result) => JsonSerializer.SerializeToElement(result.StructuredContent);
}
