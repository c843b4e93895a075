using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Operations;

/// <summary>
/// The spans one request leaves, seen by an <see cref="ActivityListener"/> in this process (the server runs in it) and
/// told apart from other tests' by the trace id the request carries in its <c>traceparent</c> header.
/// </summary>
public sealed class TracingTests(SeededApiServer server) : IClassFixture<SeededApiServer>
{
    [Fact]
    public async Task An_answer_is_one_trace_of_http_search_embedding_llm_and_database_spans()
    {
        using var spans = new TraceCollector();

        using var response = await spans.SendAsync(server.Client, HttpMethod.Post, $"/v1/collections/{SeededApiServer.Collection}/ask",
            new { question = "Where does the cat like to sit?" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var http = await spans.WaitForAsync(s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(spans.ClientSpanId, http.ParentSpanId);
        var search = spans.Single("retrieval.search");
        Assert.Equal(SeededApiServer.Collection, search.GetTagItem("rag.collection"));
        Assert.True((int)search.GetTagItem("rag.search.hits")! > 0);
        var embedding = Assert.Single(spans.All, s => s.Source.Name == "Rag.Embedding");
        Assert.Equal(search.SpanId, embedding.ParentSpanId);
        var chat = Assert.Single(spans.All, s => s.Source.Name == "Rag.Llm");
        Assert.StartsWith("chat ", chat.DisplayName, StringComparison.Ordinal);
        Assert.True(Convert.ToInt64(chat.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(Convert.ToInt64(chat.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(spans.All, s => s.Source.Name == "Npgsql" && s.ParentSpanId == search.SpanId);
    }

    [Fact]
    public async Task An_upload_is_read_then_ingested_with_a_child_per_step_and_the_embedding_inside_the_store()
    {
        using var spans = new TraceCollector();

        using var response = await spans.SendAsync(server.Client, HttpMethod.Post, "/v1/collections/traced/documents",
            new { name = "garden.txt", text = "Roses grow in the garden.\n\nTulips open in spring." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ingest = spans.Single("retrieval.ingest");
        Assert.Equal("traced", ingest.GetTagItem("rag.collection"));
        Assert.Equal("Created", ingest.GetTagItem("rag.ingest.outcome"));
        var steps = spans.All.Where(s => s.ParentSpanId == ingest.SpanId && s.Source.Name == "Rag.Retrieval").Select(s => s.DisplayName).Order();
        Assert.Equal(["retrieval.chunk", "retrieval.store"], steps);
        // The endpoint reads every upload of a request before storing any, so the text is extracted once, first.
        Assert.True(spans.Single("retrieval.extract").StartTimeUtc <= ingest.StartTimeUtc);
        var store = spans.Single("retrieval.store");
        Assert.Contains(spans.All, s => s.Source.Name == "Rag.Embedding" && s.ParentSpanId == store.SpanId);
    }

    /// <summary>Records the stopped spans of one trace, started by a request it sends.</summary>
    private sealed class TraceCollector : IDisposable
    {
        private static readonly HashSet<string> Sources = ["Microsoft.AspNetCore", "Rag.Retrieval", "Rag.Llm", "Rag.Embedding", "Npgsql"];
        private readonly ActivityTraceId _traceId = ActivityTraceId.CreateRandom();
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public TraceCollector()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => Sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == _traceId)
                    {
                        _stopped.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ActivitySpanId ClientSpanId { get; } = ActivitySpanId.CreateRandom();

        public IReadOnlyList<Activity> All => [.. _stopped];

        public Activity Single(string name) => Assert.Single(All, s => s.DisplayName == name);

        public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("traceparent", $"00-{_traceId}-{ClientSpanId}-01");
            var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }

        /// <summary>The server's own span stops after the response went out, so it may arrive a moment later.</summary>
        public async Task<Activity> WaitForAsync(Func<Activity, bool> match)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                if (All.FirstOrDefault(match) is { } found)
                {
                    return found;
                }
                await Task.Delay(50);
            }
            throw new Xunit.Sdk.XunitException("The span did not stop within 5 s.");
        }

        public void Dispose() => _listener.Dispose();
    }
}
