using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Operations;

/// <summary>
/// The real server while its real PostgreSQL is stopped and started again under ingestion and search: 503 with
/// Retry-After while it is down, then 200 again without a restart, every queued upload stored whole.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.Server server) : IClassFixture<DatabaseOutageTests.Server>
{
    private const string Collection = "outage";

    /// <summary>The service over a cluster of its own, so stopping it leaves the other tests' database alone.</summary>
    public sealed class Server : ApiServer, IAsyncLifetime
    {
        public DedicatedCluster Cluster { get; private set; } = null!;

        public new async Task InitializeAsync()
        {
            Cluster = await Task.Run(() => new DedicatedCluster());
            await base.InitializeAsync();
        }

        protected override void Configure(IDictionary<string, string?> settings) =>
            settings["ConnectionStrings:Postgres"] = Cluster.ConnectionString;

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            Cluster.Dispose();
        }

        public async Task<long> CountAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    private readonly HttpClient client = server.Client;

    private Task<HttpResponseMessage> SearchAsync() => client.PostAsJsonAsync($"/v1/collections/{Collection}/search", new { query = "cats" });

    [Fact]
    public async Task While_the_database_is_down_requests_answer_503_with_retry_after_and_afterwards_everything_recovers_with_nothing_half_written()
    {
        await Corpus.UploadAsync(client, Collection, "cats.txt", Corpus.Cats);
        var queued = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            queued.Add(await QueuedUploads.QueueAsync(client, Collection, $"long-{i}.txt", QueuedUploads.LongText($"outage {i}")));
        }

        await Task.Run(server.Cluster.Stop);
        using (var search = await SearchAsync())
        {
            await AssertUnavailableAsync(search);
        }
        using (var upload = await client.PostAsJsonAsync($"/v1/collections/{Collection}/documents", new { name = "weather.txt", text = Corpus.Weather }))
        {
            await AssertUnavailableAsync(upload);
        }
        using (var status = await client.GetAsync($"/v1/collections/{Collection}/documents/{queued[^1]}"))
        {
            await AssertUnavailableAsync(status);
        }
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }
        using (var live = await client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await Task.Run(server.Cluster.Start);

        // The same process, no restart: the pool reconnects and the worker takes the queue up again.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var searched = HttpStatusCode.ServiceUnavailable;
        while (searched != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            using var search = await SearchAsync();
            searched = search.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, searched);
        foreach (var id in queued)
        {
            var document = await QueuedUploads.WaitAsync(client, Collection, id);
            Assert.Equal(("completed", id), (document.GetProperty("status").GetString(), document.GetProperty("id").GetGuid()));
        }
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        // Every stored document has exactly the chunks it counts, and no job is left open.
        Assert.Equal(1 + queued.Count, await server.CountAsync("SELECT count(*) FROM documents"));
        Assert.Equal(0, await server.CountAsync(
            "SELECT count(*) FROM documents d WHERE d.chunk_count <> (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)"));
        Assert.Equal(0, await server.CountAsync("SELECT count(*) FROM ingestion_jobs WHERE status <> 'completed'"));
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without a Retry-After delay");
    }
}
