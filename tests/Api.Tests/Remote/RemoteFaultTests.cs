using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Remote;

/// <summary>A remote LLM that fails or stalls gives the caller a 502 or 504 problem, never a hang or a 500; a remote
/// request whose caller has gone is abandoned.</summary>
public sealed class RemoteFaultTests(RemoteFaultTests.FaultyServers server) : IClassFixture<RemoteFaultTests.FaultyServers>
{
    private const string Collection = "faults";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_remote_server_error_is_a_502_problem_naming_the_server(bool stream)
    {
        server.Model.Mode = FaultyModelServer.Failure.ServerError;
        var problem = await ProblemOfAsync(await AskAsync(stream), stream, HttpStatusCode.BadGateway);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(server.Model.Endpoint.ToString(), detail, StringComparison.Ordinal);
        Assert.Contains("500", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_connection_is_a_502_problem()
    {
        server.Model.Mode = FaultyModelServer.Failure.DroppedConnection;
        var problem = await ProblemAssert.IsProblemAsync(await AskAsync(stream: false), HttpStatusCode.BadGateway);
        Assert.Contains("Llm", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_remote_is_a_504_problem_and_its_request_is_abandoned()
    {
        server.Model.Mode = FaultyModelServer.Failure.Silence;
        var problem = await ProblemOfAsync(await AskAsync(stream: true), stream: true, HttpStatusCode.GatewayTimeout);
        Assert.Contains("Llm:TimeoutSeconds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The stalled request upstream is cancelled, not left running.
        await server.Model.LatestAbort.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_the_remote_generation()
    {
        server.Model.Mode = FaultyModelServer.Failure.Endless;
        var chat = new { messages = new[] { new { role = "user", content = "Tell me a long story." } }, stream = true };
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.Client.BaseAddress })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(chat) })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
            {
                if (e.Data.Contains("word", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        // The remote answer never ends by itself: only the service giving it up when its client left ends it.
        await server.Model.LatestAbort.WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>
    /// The problem a request answered: its body, or for a stream (whose sources went out before generation began, so its
    /// status line says 200) the error event that ends it.
    /// </summary>
    private static async Task<JsonElement> ProblemOfAsync(HttpResponseMessage response, bool stream, HttpStatusCode status)
    {
        using (response)
        {
            if (!stream)
            {
                return await ProblemAssert.IsProblemAsync(response, status);
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = new List<ServerSentEvent>();
            await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
            {
                events.Add(e);
            }
            Assert.Equal(["sources", "error"], events.Select(e => e.Type));
            Assert.Equal((int)status, events[1].Json.GetProperty("status").GetInt32());
            return events[1].Json;
        }
    }

    private async Task<HttpResponseMessage> AskAsync(bool stream)
    {
        using var collection = await server.Client.GetAsync($"/v1/collections/{Collection}/documents");
        if (collection.StatusCode == HttpStatusCode.NotFound)
        {
            await Corpus.SeedAsync(server.Client, Collection);
        }
        return await server.Client.PostAsJsonAsync($"/v1/collections/{Collection}/ask", new { question = "Where does the cat sit?", stream });
    }

    [Fact]
    public async Task A_failing_remote_embedder_is_a_502_on_ingest_and_a_504_on_search_and_nothing_is_written()
    {
        server.Model.Mode = FaultyModelServer.Failure.None;
        using var embedding = await server.FaultyEmbedderClient.PostAsJsonAsync("/v1/collections/e/documents", new { name = "a.txt", text = "first words" });
        Assert.Equal(HttpStatusCode.Created, embedding.StatusCode);
        var chunks = await server.FaultyEmbedder.CountRowsAsync("chunks");

        server.Model.Mode = FaultyModelServer.Failure.ServerError;
        using var ingest = await server.FaultyEmbedderClient.PostAsJsonAsync("/v1/collections/e/documents", new { name = "b.txt", text = "second words" });
        var problem = await ProblemAssert.IsProblemAsync(ingest, HttpStatusCode.BadGateway);
        Assert.Contains("Embedding server", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(chunks, await server.FaultyEmbedder.CountRowsAsync("chunks"));

        server.Model.Mode = FaultyModelServer.Failure.Silence;
        using var search = await server.FaultyEmbedderClient.PostAsJsonAsync("/v1/collections/e/search", new { query = "words" });
        problem = await ProblemAssert.IsProblemAsync(search, HttpStatusCode.GatewayTimeout);
        Assert.Contains("Embedding:TimeoutSeconds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A <see cref="FaultyModelServer"/> and two instances of the service on it: <see cref="Client"/>'s has its local
    /// embedder and the faulty server as its LLM, <see cref="FaultyEmbedder"/> its local LLM and the faulty embedder.
    /// Started one after the other: the test host captures one server start at a time.
    /// </summary>
    public sealed class FaultyServers : IAsyncLifetime
    {
        public FaultyModelServer Model { get; private set; } = null!;

        public ApiServer FaultyLlm { get; private set; } = null!;

        public ApiServer FaultyEmbedder { get; private set; } = null!;

        public HttpClient Client => FaultyLlm.Client;

        public HttpClient FaultyEmbedderClient => FaultyEmbedder.Client;

        public async Task InitializeAsync()
        {
            Model = await FaultyModelServer.StartAsync();
            FaultyLlm = new OnFaultyModel(Model.Endpoint, "Llm");
            await FaultyLlm.InitializeAsync();
            FaultyEmbedder = new OnFaultyModel(Model.Endpoint, "Embedding");
            await FaultyEmbedder.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await FaultyEmbedder.DisposeAsync();
            await FaultyLlm.DisposeAsync();
            await Model.DisposeAsync();
        }

        private sealed class OnFaultyModel(Uri endpoint, string section) : ApiServer
        {
            protected override void Configure(IDictionary<string, string?> settings)
            {
                settings[$"{section}:ModelPath"] = null;
                settings[$"{section}:Endpoint"] = endpoint.ToString();
                settings[$"{section}:Model"] = "faulty";
                settings[$"{section}:TimeoutSeconds"] = "1";
                settings[$"{section}:MaxRetries"] = "0";
            }
        }
    }
}
