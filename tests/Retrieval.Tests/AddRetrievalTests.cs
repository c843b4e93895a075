using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Npgsql;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Search;
using Rag.Retrieval.Tests.Support;
using Rag.TestSupport;

namespace Rag.Retrieval.Tests;

public sealed class AddRetrievalTests(ForgedEncoder encoder) : IClassFixture<ForgedEncoder>
{
    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // Registered as a wrapper so the container, which disposes what it was given, leaves the fixture's model alone.
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new CountingEmbeddingGenerator(encoder.Generator));
        services.AddSingleton<IChatClient>(new ScriptedChatClient("From the notes [1]."));
        services.AddKeyedSingleton(RetrievalServiceKeys.EmbeddingTokenizer, encoder.Tokenizer);
        services.AddKeyedSingleton(RetrievalServiceKeys.ChatTokenizer, TinyLlm.Tokenizer);
        services.AddRetrieval(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task The_host_migrates_runs_the_worker_and_serves_search()
    {
        await using var database = new PostgresDatabase();
        await using var provider = Build(new()
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Retrieval:IngestionPollInterval"] = "00:00:00.050",
            ["Retrieval:MinRelevance"] = "0",
            ["Retrieval:ChunkMaxTokens"] = encoder.ChunkMaxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var jobs = provider.GetRequiredService<IngestionJobs>();
        var id = await jobs.EnqueueAsync(new IngestRequest("notes.md", Encoding.UTF8.GetBytes("# Notes\n\nThe backup runs nightly at two.")), "default");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await jobs.GetAsync(id))!.Status is IngestionJobStatus.Pending or IngestionJobStatus.Processing && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var hits = await provider.GetRequiredService<ChunkSearch>().SearchAsync(new SearchRequest("when does the backup run"));
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(IngestionJobStatus.Completed, (await jobs.GetAsync(id))!.Status);
        Assert.Equal("notes.md", Assert.Single(hits.Hits).DocumentName);
    }

    [Fact]
    public void Invalid_options_stop_start_up_with_the_setting_named()
    {
        using var provider = Build(new() { ["ConnectionStrings:Postgres"] = "Host=localhost", ["Retrieval:ChunkOverlapTokens"] = "300" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RetrievalOptions>>().Value);

        Assert.Contains("ChunkOverlapTokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_connection_string_says_what_to_set()
    {
        using var provider = Build([]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<NpgsqlDataSource>());

        Assert.Contains("ConnectionStrings__Postgres", error.Message, StringComparison.Ordinal);
    }
}
