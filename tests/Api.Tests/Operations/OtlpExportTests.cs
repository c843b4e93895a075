using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Operations;

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP trace route on loopback, keeping each export's protobuf body. Span names and
/// trace ids are plain bytes in that encoding, so a body can be searched for them without a protobuf parser.
/// </summary>
public sealed class LoopbackCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _exports = new();

    public LoopbackCollector()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _exports.Enqueue(body.ToArray());
            return Results.Ok();
        });
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public string Endpoint => _app.Urls.Single();

    /// <summary>Waits for an export holding every one of <paramref name="needles"/>; null when none came within 20 s.</summary>
    public async Task<byte[]?> WaitForExportAsync(params byte[][] needles)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_exports.FirstOrDefault(export => needles.All(needle => export.AsSpan().IndexOf(needle) >= 0)) is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        return null;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The service with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pointing at a <see cref="LoopbackCollector"/>.</summary>
public sealed class OtlpApiServer : ApiServer
{
    public LoopbackCollector Collector { get; } = new();

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }
}

public sealed class OtlpExportTests(OtlpApiServer server) : IClassFixture<OtlpApiServer>
{
    [Fact]
    public async Task With_an_otlp_endpoint_a_search_trace_reaches_the_collector()
    {
        var traceId = ActivityTraceId.CreateRandom();
        await Corpus.UploadAsync(server.Client, "exported", "cats.txt", Corpus.Cats);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/collections/exported/search") { Content = JsonContent.Create(new { query = "cat" }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceBytes = Convert.FromHexString(traceId.ToHexString());
        var export = await server.Collector.WaitForExportAsync(traceBytes, "retrieval.search"u8.ToArray());
        Assert.NotNull(export);
        Assert.True(export.AsSpan().IndexOf("rag-service"u8) >= 0, "the service name travels as a resource attribute");
    }
}
