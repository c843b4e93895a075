using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Errors;

/// <summary>
/// Client mistakes, each answered with a 4xx problem+json that says what was wrong — never a 500 — and
/// leaving every table exactly as it was.
/// </summary>
public sealed class BadRequestTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    private const string Known = "known";
    private static readonly string[] Tables = ["collections", "documents", "chunks", "ingestion_jobs"];

    public async Task InitializeAsync()
    {
        if (await server.CountRowsAsync("documents") == 0)
        {
            await Corpus.UploadAsync(server.Client, Known, "cats.txt", Corpus.Cats);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string, string?, string?, int> Cases => new()
    {
        // name, method, path, content type, body, expected status
        { "documents: JSON syntax error", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"name\": \"a\",", 400 },
        { "documents: name missing", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"text\": \"hello\"}", 400 },
        { "documents: text missing", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"name\": \"a.txt\"}", 400 },
        { "documents: text empty", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"name\": \"a.txt\", \"text\": \"\"}", 400 },
        { "documents: body is null", "POST", $"/v1/collections/{Known}/documents", "application/json", "null", 400 },
        { "documents: tag value not a string", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"name\": \"a\", \"text\": \"b\", \"tags\": {\"n\": 1}}", 400 },
        { "documents: tag name starts with $", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"name\": \"a\", \"text\": \"b\", \"tags\": {\"$or\": \"x\"}}", 400 },
        { "documents: only whitespace", "POST", $"/v1/collections/{Known}/documents", "application/json", "{\"name\": \"a.txt\", \"text\": \"  \\n \"}", 400 },
        { "documents: file of only whitespace", "POST", $"/v1/collections/{Known}/documents", "multipart", "file:blank.txt=   ", 422 },
        { "chat: top_p 0", "POST", "/v1/chat/completions", "application/json", "{\"top_p\": 0, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400 },
        { "completions: empty prompt", "POST", "/v1/completions", "application/json", "{\"prompt\": \"\"}", 400 },
        { "documents: text/plain body", "POST", $"/v1/collections/{Known}/documents", "text/plain", "just text", 415 },
        { "documents: no content type", "POST", $"/v1/collections/{Known}/documents", null, "just text", 415 },
        { "documents: form without file", "POST", $"/v1/collections/{Known}/documents", "multipart", "field:tags={}", 400 },
        { "documents: form tags not JSON", "POST", $"/v1/collections/{Known}/documents", "multipart", "file:a.txt=hello|field:tags=lang=en", 400 },
        { "documents: form id with two files", "POST", $"/v1/collections/{Known}/documents", "multipart", "file:a.txt=hello|file:b.txt=world|field:id=x", 400 },
        { "documents: binary file", "POST", $"/v1/collections/{Known}/documents", "multipart", "binary:blob.bin", 415 },
        { "documents: broken PDF", "POST", $"/v1/collections/{Known}/documents", "multipart", "file:broken.pdf=%PDF-1.4 garbage", 422 },
        { "documents: DOCX that is not a package", "POST", $"/v1/collections/{Known}/documents", "multipart", "file:report.docx=plain words", 422 },
        { "documents: good file then broken PDF", "POST", $"/v1/collections/{Known}/documents", "multipart", "file:fine.txt=The cat sleeps.|file:broken.pdf=%PDF-1.4 garbage", 422 },
        { "documents: body over the limit", "POST", $"/v1/collections/{Known}/documents", "application/json", "oversize", 413 },
        { "documents: invalid collection name", "POST", "/v1/collections/bad%20name!/documents", "application/json", "{\"name\": \"a\", \"text\": \"b\"}", 400 },
        { "documents: unknown document", "GET", $"/v1/collections/{Known}/documents/{Guid.Empty}", null, null, 404 },
        { "documents: unknown collection", "GET", "/v1/collections/missing/documents", null, null, 404 },
        { "documents: delete unknown document", "DELETE", $"/v1/collections/{Known}/documents/{Guid.Empty}", null, null, 404 },
        { "documents: id not a uuid", "GET", $"/v1/collections/{Known}/documents/not-a-uuid", null, null, 404 },
        { "documents: limit 0", "GET", $"/v1/collections/{Known}/documents?limit=0", null, null, 400 },
        { "documents: cursor not a uuid", "GET", $"/v1/collections/{Known}/documents?after=xyz", null, null, 400 },
        { "documents: PUT not allowed", "PUT", $"/v1/collections/{Known}/documents", "application/json", "{}", 405 },
        { "search: JSON syntax error", "POST", $"/v1/collections/{Known}/search", "application/json", "{\"query\": }", 400 },
        { "search: query missing", "POST", $"/v1/collections/{Known}/search", "application/json", "{\"top_k\": 3}", 400 },
        { "search: query too long", "POST", $"/v1/collections/{Known}/search", "application/json", $"{{\"query\": \"{new string('q', 501)}\"}}", 400 },
        { "search: top_k 0", "POST", $"/v1/collections/{Known}/search", "application/json", "{\"query\": \"cat\", \"top_k\": 0}", 400 },
        { "search: unknown mode", "POST", $"/v1/collections/{Known}/search", "application/json", "{\"query\": \"cat\", \"mode\": \"semantic\"}", 400 },
        { "search: unknown filter operator", "POST", $"/v1/collections/{Known}/search", "application/json", "{\"query\": \"cat\", \"filter\": {\"$xor\": []}}", 400 },
        { "search: filter not an object", "POST", $"/v1/collections/{Known}/search", "application/json", "{\"query\": \"cat\", \"filter\": \"cats\"}", 400 },
        { "search: unknown collection", "POST", "/v1/collections/missing/search", "application/json", "{\"query\": \"cat\"}", 404 },
        { "ask: question missing", "POST", $"/v1/collections/{Known}/ask", "application/json", "{\"stream\": true}", 400 },
        { "ask: question too long", "POST", $"/v1/collections/{Known}/ask", "application/json", $"{{\"question\": \"{new string('q', 501)}\"}}", 400 },
        { "ask: bad filter", "POST", $"/v1/collections/{Known}/ask", "application/json", "{\"question\": \"cat?\", \"filter\": {\"$and\": 3}}", 400 },
        { "ask: stream not a boolean", "POST", $"/v1/collections/{Known}/ask", "application/json", "{\"question\": \"cat?\", \"stream\": \"yes\"}", 400 },
        { "ask: form body", "POST", $"/v1/collections/{Known}/ask", "multipart", "field:question=cat?", 415 },
        { "chat: messages missing", "POST", "/v1/chat/completions", "application/json", "{\"model\": null}", 400 },
        { "chat: messages empty", "POST", "/v1/chat/completions", "application/json", "{\"messages\": []}", 400 },
        { "chat: unknown role", "POST", "/v1/chat/completions", "application/json", "{\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}", 400 },
        { "chat: image content", "POST", "/v1/chat/completions", "application/json", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}", 400 },
        { "chat: unknown model", "POST", "/v1/chat/completions", "application/json", "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 404 },
        { "chat: n = 2", "POST", "/v1/chat/completions", "application/json", "{\"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400 },
        { "chat: temperature 5", "POST", "/v1/chat/completions", "application/json", "{\"temperature\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400 },
        { "chat: five stop strings", "POST", "/v1/chat/completions", "application/json", "{\"stop\": [\"a\",\"b\",\"c\",\"d\",\"e\"], \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400 },
        { "chat: unknown collection", "POST", "/v1/chat/completions", "application/json", "{\"collection\": \"missing\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 404 },
        { "completions: token array prompt", "POST", "/v1/completions", "application/json", "{\"prompt\": [1, 2, 3]}", 400 },
        { "completions: prompt missing", "POST", "/v1/completions", "application/json", "{\"max_tokens\": 3}", 400 },
        { "embeddings: empty input", "POST", "/v1/embeddings", "application/json", "{\"input\": []}", 400 },
        { "embeddings: token input", "POST", "/v1/embeddings", "application/json", "{\"input\": [1, 2, 3]}", 400 },
        { "embeddings: other dimensions", "POST", "/v1/embeddings", "application/json", "{\"input\": \"cat\", \"dimensions\": 7}", 400 },
        { "embeddings: unknown encoding", "POST", "/v1/embeddings", "application/json", "{\"input\": \"cat\", \"encoding_format\": \"int8\"}", 400 },
        { "models: unknown model", "GET", "/v1/models/gpt-4o", null, null, 404 },
        { "unknown route", "GET", "/v1/nothing-here", null, null, 404 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_is_a_problem_and_changes_nothing(string name, string method, string path, string? contentType, string? body, int status)
    {
        var before = await CountAllAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Content(contentType, body) };
        using var response = await server.Client.SendAsync(request);
        var problem = await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)status);
        Assert.True(problem.TryGetProperty("detail", out var detail) || problem.TryGetProperty("errors", out detail), $"{name}: the problem says nothing about what to fix");
        Assert.False(string.IsNullOrWhiteSpace(detail.ToString()));
        Assert.Equal(before, await CountAllAsync());
    }

    private async Task<long[]> CountAllAsync()
    {
        var counts = new long[Tables.Length];
        for (var i = 0; i < Tables.Length; i++)
        {
            counts[i] = await server.CountRowsAsync(Tables[i]);
        }
        return counts;
    }

    // "multipart" bodies are parts separated by '|': file:name=text, binary:name, field:name=value.
    private static HttpContent? Content(string? contentType, string? body)
    {
        if (body == "oversize")
        {
            return new StringContent($"{{\"name\": \"big.txt\", \"text\": \"{new string('x', 300_000)}\"}}", Encoding.UTF8, "application/json");
        }
        if (contentType == "multipart")
        {
            var form = new MultipartFormDataContent();
            foreach (var part in body!.Split('|'))
            {
                var (kind, rest) = (part[..part.IndexOf(':', StringComparison.Ordinal)], part[(part.IndexOf(':', StringComparison.Ordinal) + 1)..]);
                var (key, value) = rest.Contains('=', StringComparison.Ordinal) ? (rest[..rest.IndexOf('=', StringComparison.Ordinal)], rest[(rest.IndexOf('=', StringComparison.Ordinal) + 1)..]) : (rest, "");
                switch (kind)
                {
                    case "file":
                        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(value)), "files", key);
                        break;
                    case "binary":
                        form.Add(new ByteArrayContent([0, 159, 146, 150, 0, 1]), "files", key);
                        break;
                    default:
                        form.Add(new StringContent(value), key);
                        break;
                }
            }
            return form;
        }
        if (body is null)
        {
            return null;
        }
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        return content;
    }
}
