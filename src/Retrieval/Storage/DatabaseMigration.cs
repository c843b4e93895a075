using Microsoft.Extensions.Hosting;

namespace Rag.Retrieval.Storage;

/// <summary>Migrates the database at start-up, before the ingestion worker or any request touches it.</summary>
internal sealed class DatabaseMigration(Migrator migrator, Embedder embedder) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var model = await embedder.GetModelAsync(cancellationToken);
        await migrator.MigrateAsync(model.Dimension, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
