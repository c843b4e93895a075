using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

public sealed class DocumentsEndpointsTests(ApiServer server) : IClassFixture<ApiServer>
{
    private readonly HttpClient client = server.Client;

    [Fact]
    public async Task Json_document_is_ingested_before_the_response_then_read_listed_and_deleted()
    {
        using var created = await client.PostAsJsonAsync("/v1/collections/docs-json/documents",
            new { id = "ext-1", name = "cats.txt", text = Corpus.Cats, tags = new { topic = "animals" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = document.GetProperty("id").GetGuid();
        Assert.Equal("completed", document.GetProperty("status").GetString());
        Assert.True(document.GetProperty("chunk_count").GetInt32() >= 1);
        Assert.Equal("ext-1", document.GetProperty("external_id").GetString());
        Assert.Equal("animals", document.GetProperty("tags").GetProperty("topic").GetString());
        Assert.Equal(created.Headers.Location?.OriginalString, document.GetProperty("url").GetString());

        var read = await client.GetFromJsonAsync<JsonElement>($"/v1/collections/docs-json/documents/{id}");
        Assert.Equal("cats.txt", read.GetProperty("name").GetString());
        Assert.Equal(document.GetProperty("chunk_count").GetInt32(), read.GetProperty("chunk_count").GetInt32());

        var list = await client.GetFromJsonAsync<JsonElement>("/v1/collections/docs-json/documents");
        Assert.Contains(list.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);

        using var deleted = await client.DeleteAsync($"/v1/collections/docs-json/documents/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await client.GetAsync($"/v1/collections/docs-json/documents/{id}");
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound);
        Assert.Equal(0, await server.CountRowsAsync($"chunks WHERE document_id = '{id}'"));
    }

    [Fact]
    public async Task Multipart_upload_of_several_files_stores_each_with_its_chunks()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(Corpus.Weather)), "files", "weather.txt" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("# Soup\n\n" + Corpus.Soup)), "files", "soup.md" },
            { new StringContent("{\"source\": \"upload\"}"), "tags" },
        };
        using var response = await client.PostAsync("/v1/collections/docs-multi/documents", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var documents = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documents").EnumerateArray().ToList();
        Assert.Equal(["weather.txt", "soup.md"], documents.Select(d => d.GetProperty("name").GetString()));
        Assert.All(documents, d => Assert.Equal("upload", d.GetProperty("tags").GetProperty("source").GetString()));
        Assert.Equal("text/markdown", documents[1].GetProperty("content_type").GetString());

        var stored = documents.Sum(d => d.GetProperty("chunk_count").GetInt32());
        Assert.Equal(stored, await server.CountRowsAsync("chunks c JOIN collections k ON k.id = c.collection_id WHERE k.name = 'docs-multi'"));
    }

    [Fact]
    public async Task Large_upload_is_queued_and_its_status_url_reaches_completed()
    {
        // Above Api:SynchronousIngestBytes (4 KiB in these tests): the ingestion worker takes it.
        var text = string.Join("\n\n", Enumerable.Repeat(Corpus.Weather + " " + Corpus.Soup, 30));
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        using var form = new MultipartFormDataContent { { content, "files", "long.txt" } };
        using var response = await client.PostAsync("/v1/collections/docs-queued/documents", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documents")[0];
        Assert.Equal("pending", queued.GetProperty("status").GetString());
        var url = queued.GetProperty("url").GetString()!;

        JsonElement status = default;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            status = await client.GetFromJsonAsync<JsonElement>(url);
            if (status.GetProperty("status").GetString() is "completed" or "failed")
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("chunk_count").GetInt32() > 1);
        Assert.True(status.GetProperty("timings").GetProperty("total_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Uploading_the_same_content_again_returns_the_existing_document_without_writing()
    {
        var first = await Corpus.UploadAsync(client, "docs-dup", "soup.txt", Corpus.Soup);
        var chunks = await server.CountRowsAsync("chunks");
        using var again = await client.PostAsJsonAsync("/v1/collections/docs-dup/documents", new { name = "soup-copy.txt", text = Corpus.Soup });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first, body.GetProperty("id").GetGuid());
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(chunks, await server.CountRowsAsync("chunks"));
    }

    [Fact]
    public async Task Listing_pages_through_every_document_with_the_cursor()
    {
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Corpus.UploadAsync(client, "docs-pages", $"note-{i}.txt", $"{Corpus.Cats} Note number {i}."));
        }
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/collections/docs-pages/documents?limit=2{(cursor is null ? "" : "&after=" + cursor)}");
            var documents = page.GetProperty("documents").EnumerateArray().ToList();
            Assert.True(documents.Count <= 2);
            seen.AddRange(documents.Select(d => d.GetProperty("id").GetGuid()));
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task Unsupported_binary_upload_is_415_and_a_broken_pdf_is_422()
    {
        using var binary = new MultipartFormDataContent { { new ByteArrayContent([0, 1, 2, 3, 0, 255]), "files", "blob.bin" } };
        await ProblemAssert.IsProblemAsync(await client.PostAsync("/v1/collections/docs-bad/documents", binary), HttpStatusCode.UnsupportedMediaType);

        using var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.7\nthis is not really a pdf"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var broken = new MultipartFormDataContent { { pdf, "files", "broken.pdf" } };
        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync("/v1/collections/docs-bad/documents", broken), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("broken.pdf", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
