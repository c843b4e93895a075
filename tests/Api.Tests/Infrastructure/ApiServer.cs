using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Rag.TestSupport;

namespace Rag.Api.Tests.Infrastructure;

/// <summary>
/// The service on Kestrel over loopback (a real socket, not the in-memory TestServer) against its own fresh
/// PostgreSQL database and ModelForge models. One per test class; subclasses change the configuration.
/// </summary>
public class ApiServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly PostgresDatabase database = new();
    private WebApplicationFactory<Program>? factory;

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress => Client.BaseAddress!;

    public string ConnectionString => database.ConnectionString;

    /// <summary>The running service's container, to read what it resolved from its configuration.</summary>
    public IServiceProvider Services => factory!.Services;

    /// <summary>Settings as configuration keys; subclasses add or override.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Runs once the server listens; subclasses upload what their tests read.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    public async Task<long> CountRowsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Llm:ModelPath"] = ForgedModels.Decoder(),
            ["Embedding:ModelPath"] = ForgedModels.Encoder(lexical: true),
            ["Api:SynchronousIngestBytes"] = "4096",
            ["Api:MaxUploadBytes"] = "262144",
            ["Api:MaxQuestionLength"] = "500",
            ["Retrieval:IngestionPollInterval"] = "00:00:00.050",
            ["Retrieval:MinRelevance"] = "-1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Configure(settings);
        factory = await LoopbackService.StartAsync<Program>(settings);
        Client = factory.CreateClient();
        Client.Timeout = TimeSpan.FromMinutes(2);
        await SeedAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        await database.DisposeAsync();
    }
}
