using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Security;

/// <summary>The service with room for multi-megabyte uploads, so the bombs reach the extractors rather than the size limit.</summary>
public sealed class HostileUploadServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Api:MaxUploadBytes"] = (16 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Api:SynchronousIngestBytes"] = (64 << 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Hostile documents sent to the real server over HTTP. Each must be refused as a document problem naming the limit
/// it crossed — 422 problem+json when read inline, a job failed for good with that reason when queued — and the
/// process must still serve afterwards: a stack overflow would have ended it (and this test run) on the spot.
/// </summary>
public sealed class HostileUploadTests(HostileUploadServer server) : IClassFixture<HostileUploadServer>
{
    private readonly HttpClient client = server.Client;

    public static TheoryData<string, string> Bombs => new()
    {
        { "unclosed-bold.html", "Extraction:MaxDepth" },
        { "nested-divs.html", "Extraction:MaxDepth" },
        { "nested-quotes.md", "Extraction:MaxDepth" },
        { "nested-lists.md", "Extraction:MaxDepth" },
        { "nested-content-controls.docx", "Extraction:MaxDepth" },
        { "zip-bomb.docx", "Extraction:MaxDecompressedBytes" },
        { "stream-bomb.pdf", "Extraction:MaxDecompressedBytes" },
        { "nested-arrays.pdf", "Extraction:MaxDepth" },
        { "nested-content.pdf", "Extraction:MaxDepth" },
    };

    private static byte[] Build(string fileName) => fileName switch
    {
        "unclosed-bold.html" => HostileDocuments.UnclosedBoldHtml(),
        "nested-divs.html" => HostileDocuments.NestedDivHtml(),
        "nested-quotes.md" => HostileDocuments.NestedQuoteMarkdown(),
        "nested-lists.md" => HostileDocuments.NestedListMarkdown(),
        "nested-content-controls.docx" => HostileDocuments.NestedContentControlsDocx(),
        "zip-bomb.docx" => HostileDocuments.ZipBombDocx(),
        "stream-bomb.pdf" => HostileDocuments.StreamBombPdf(),
        "nested-arrays.pdf" => HostileDocuments.NestedArraysPdf(),
        "nested-content.pdf" => HostileDocuments.NestedArraysInContentPdf(),
        _ => throw new ArgumentOutOfRangeException(nameof(fileName)),
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task A_hostile_document_is_refused_naming_the_limit_and_the_service_lives_on(string fileName, string setting)
    {
        var bomb = Build(fileName);
        Assert.True(bomb.Length < 2 << 20, $"{fileName} is {bomb.Length:N0} bytes: a bomb is small");

        var reason = await UploadExpectingRefusalAsync("hostile", fileName, bomb);

        Assert.Contains(setting, reason, StringComparison.Ordinal);
        Assert.Contains(fileName, reason, StringComparison.Ordinal);
        await AssertServingAsync();
    }

    [Fact]
    public async Task A_markdown_emphasis_bomb_is_ingested_as_plain_text()
    {
        using var form = Form("emphasis.md", HostileDocuments.EmphasisMarkdown());
        using var response = await client.PostAsync("/v1/collections/emphasis/documents", form);

        var document = await FinishedAsync(response, "emphasis");

        Assert.True(document.GetProperty("status").GetString() == "completed", document.ToString());
        Assert.True(document.GetProperty("chunk_count").GetInt32() > 1);
        await AssertServingAsync();
    }

    /// <summary>The refusal's reason: the problem's detail when read inline, the job's error when queued.</summary>
    private async Task<string> UploadExpectingRefusalAsync(string collection, string fileName, byte[] content)
    {
        using var form = Form(fileName, content);
        using var response = await client.PostAsync($"/v1/collections/{collection}/documents", form);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            return problem.GetProperty("detail").GetString()!;
        }
        var job = await FinishedAsync(response, collection);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        return job.GetProperty("error").GetString()!;
    }

    /// <summary>The document as stored, or as its queued job ended.</summary>
    private async Task<JsonElement> FinishedAsync(HttpResponseMessage response, string collection)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"got {(int)response.StatusCode}: {body}");
        var document = body.GetProperty("documents")[0];
        return response.StatusCode == HttpStatusCode.Accepted
            ? await QueuedUploads.WaitAsync(client, collection, document.GetProperty("id").GetGuid())
            : document;
    }

    private async Task AssertServingAsync()
    {
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ingested = await client.PostAsJsonAsync("/v1/collections/after-bombs/documents",
            new { name = $"{Guid.NewGuid():N}.txt", text = $"{Corpus.Cats} {Guid.NewGuid():N}" });
        Assert.Equal(HttpStatusCode.Created, ingested.StatusCode);
    }

    private static MultipartFormDataContent Form(string fileName, byte[] content) =>
        new() { { new ByteArrayContent(content), "files", fileName } };
}
