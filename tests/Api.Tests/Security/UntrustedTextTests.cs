using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Security;

/// <summary>
/// NUL characters and lone surrogates in any text a client sends — JSON fields, multipart file names and fields,
/// query strings — are a 400 problem+json naming the field (issue 11 had them reach PostgreSQL as 500s, and a lone
/// surrogate throw inside the embeddings reader); nothing is written and the service keeps serving.
/// </summary>
public sealed class UntrustedTextTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Documents = "/v1/collections/edge/documents";
    private static readonly string[] Tables = ["collections", "documents", "chunks", "ingestion_jobs"];

    // JSON bodies as sent on the wire: \u0000 and \ud800 are JSON escapes, not C# ones.
    public static TheoryData<string, string, string> JsonCases => new()
    {
        { Documents, """{"name": "a\u0000.txt", "text": "hello"}""", "$.name" },
        { Documents, """{"name": "a.txt", "text": "hello", "id": "x\ud800"}""", "$.id" },
        { Documents, """{"name": "a.txt", "text": "hel\u0000lo"}""", "$.text" },
        { Documents, """{"name": "a.txt", "text": "hello", "tags": {"lang": "e\u0000n"}}""", "$.tags.lang" },
        { Documents, """{"name": "a.txt", "text": "hello", "tags": {"la\u0000ng": "en"}}""", "$.tags.la\uFFFDng" },
        { "/v1/collections/edge/search", """{"query": "cats", "filter": {"lang": {"$in": ["en", "f\u0000r"]}}}""", "$.filter.lang.$in[1]" },
        { "/v1/collections/edge/search", """{"query": "ca\u0000ts", "mode": "hybrid"}""", "$.query" },
        { "/v1/collections/edge/ask", """{"question": "why\udc00?"}""", "$.question" },
        { "/v1/embeddings", """{"input": ["fine", "lone \udc00 surrogate"]}""", "$.input[1]" },
        { "/v1/embeddings", """{"input": "\ud800"}""", "$.input" },
        { "/v1/chat/completions", """{"messages": [{"role": "user", "content": [{"type": "text", "text": "hi\u0000"}]}]}""", "$.messages[0].content[0].text" },
        { "/v1/completions", """{"prompt": "once\u0000"}""", "$.prompt" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task A_NUL_or_lone_surrogate_in_a_JSON_field_is_400_naming_the_field(string path, string body, string field)
    {
        var before = await CountRowsAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await server.Client.PostAsync(path, content);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid text", problem.GetProperty("title").GetString());
        Assert.Contains($"'{field}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountRowsAsync());
        await AssertAliveAsync();
    }

    [Theory]
    [InlineData("name=\"files\"; filename=\"a\0.txt\"", "hello", "The file name in form field 'files'")]
    [InlineData("name=\"id\"", "ext\0id", "Form field 'id'")]
    [InlineData("name=\"tags\"", "{\"lang\": \"e\\u0000n\"}", "'$.lang'")]
    public async Task A_NUL_in_a_multipart_file_name_or_field_is_400_naming_it(string disposition, string value, string named)
    {
        var before = await CountRowsAsync();
        var parts = new StringBuilder();
        if (!disposition.Contains("filename", StringComparison.Ordinal))
        {
            parts.Append("--edge\r\nContent-Disposition: form-data; name=\"files\"; filename=\"ok.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
        }
        parts.Append($"--edge\r\nContent-Disposition: form-data; {disposition}\r\nContent-Type: text/plain\r\n\r\n{value}\r\n--edge--\r\n");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(parts.ToString()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=edge");

        using var response = await server.Client.PostAsync(Documents, content);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountRowsAsync());
        await AssertAliveAsync();
    }

    [Fact]
    public async Task A_NUL_in_the_path_is_refused_by_the_server_before_any_endpoint()
    {
        using var response = await server.Client.GetAsync("/v1/collections/ed%00ge/documents");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertAliveAsync();
    }

    [Theory]
    [InlineData("/v1/collections/edge/documents?tag=lang%3Den%00", "Query parameter 'tag'")]
    [InlineData("/v1/models?x%00=1", "Query parameter 'x\uFFFD'")]
    public async Task A_NUL_in_the_query_is_400_naming_the_parameter(string url, string named)
    {
        using var response = await server.Client.GetAsync(url);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertAliveAsync();
    }

    [Fact]
    public async Task Paired_surrogates_and_ordinary_text_are_accepted()
    {
        using var content = new StringContent("""{"input": ["emoji \ud83d\ude00 fine", "plain"]}""", Encoding.UTF8, "application/json");

        using var response = await server.Client.PostAsync("/v1/embeddings", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<long[]> CountRowsAsync()
    {
        var counts = new long[Tables.Length];
        for (var i = 0; i < Tables.Length; i++)
        {
            counts[i] = await server.CountRowsAsync(Tables[i]);
        }
        return counts;
    }

    private async Task AssertAliveAsync()
    {
        using var live = await server.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
