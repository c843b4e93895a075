using System.Net;
using System.Net.Http.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Remote;

/// <summary>A remote LLM that fails or stalls gives the caller a 502 or 504 problem, never a hang or a 500.</summary>
public sealed class RemoteFaultTests(RemoteFaultTests.FaultyLlmServer server) : IClassFixture<RemoteFaultTests.FaultyLlmServer>
{
    private const string Collection = "faults";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_remote_server_error_is_a_502_problem_naming_the_server(bool stream)
    {
        server.Model.Mode = FaultyModelServer.Failure.ServerError;
        var problem = await ProblemAssert.IsProblemAsync(await AskAsync(stream), HttpStatusCode.BadGateway);
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
        var problem = await ProblemAssert.IsProblemAsync(await AskAsync(stream: true), HttpStatusCode.GatewayTimeout);
        Assert.Contains("Llm:TimeoutSeconds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The stalled request upstream is cancelled, not left running.
        await server.Model.LatestAbort.WaitAsync(TimeSpan.FromMinutes(1));
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

    /// <summary>The service with its local embedder and a <see cref="FaultyModelServer"/> as its LLM.</summary>
    public sealed class FaultyLlmServer : ApiServer
    {
        public FaultyModelServer Model { get; private set; } = null!;

        protected override void Configure(IDictionary<string, string?> settings)
        {
            Model = FaultyModelServer.StartAsync().GetAwaiter().GetResult();
            settings["Llm:ModelPath"] = null;
            settings["Llm:Endpoint"] = Model.Endpoint.ToString();
            settings["Llm:Model"] = "faulty";
            settings["Llm:TimeoutSeconds"] = "1";
            settings["Llm:MaxRetries"] = "0";
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Model.DisposeAsync();
        }
    }
}
