using System.Text;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Storage;

public sealed class CollectionStoreTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    private const string Paragraphs = "Rivers carry water to the sea.\n\nMountains rise above the valleys.\n\nForests cover the hills with trees.";

    [Fact]
    public async Task Collections_are_listed_by_name_with_their_documents_chunks_queue_and_model()
    {
        var harness = new RetrievalHarness(Database, encoder);
        await harness.IngestTextAsync("a.txt", Paragraphs, "nature");
        await harness.IngestTextAsync("b.txt", "Cats sleep all day.", "nature");
        await harness.IngestTextAsync("c.txt", "Soup needs onions.", "cooking");
        await harness.Jobs.EnqueueAsync(new IngestRequest("later.txt", Encoding.UTF8.GetBytes("Later.")), "cooking");

        var collections = await new CollectionStore(Database.DataSource).ListAsync();

        Assert.Equal(["cooking", "nature"], collections.Select(c => c.Name));
        var nature = collections[1];
        Assert.Equal(2, nature.Documents);
        Assert.Equal(await Database.ScalarAsync("SELECT count(*) FROM chunks c JOIN collections k ON k.id = c.collection_id WHERE k.name = 'nature'"), nature.Chunks);
        Assert.True(nature.Chunks >= 2);
        Assert.Equal(0, nature.QueuedJobs);
        Assert.Equal(1, collections[0].QueuedJobs);
        Assert.Equal((encoder.Generator.ModelId, encoder.Dimension), (nature.EmbeddingModel, nature.EmbeddingDimension));
    }

    [Fact]
    public async Task Deleting_a_collection_drops_its_documents_chunks_and_queued_uploads_and_nothing_else()
    {
        var harness = new RetrievalHarness(Database, encoder);
        await harness.IngestTextAsync("a.txt", Paragraphs, "doomed");
        await harness.IngestTextAsync("b.txt", "Cats sleep all day.", "kept");
        await harness.Jobs.EnqueueAsync(new IngestRequest("queued.txt", Encoding.UTF8.GetBytes("Queued.")), "doomed");
        var keptJob = await harness.Jobs.EnqueueAsync(new IngestRequest("other.txt", Encoding.UTF8.GetBytes("Other.")), "kept");
        var store = new CollectionStore(Database.DataSource);

        Assert.True(await store.DeleteAsync("doomed"));

        Assert.Equal(["kept"], (await store.ListAsync()).Select(c => c.Name));
        Assert.Equal(1, await Database.ScalarAsync("SELECT count(*) FROM documents"));
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.name = 'a.txt'"));
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM ingestion_jobs WHERE collection = 'doomed'"));
        Assert.NotNull(await harness.Jobs.GetAsync(keptJob));
        Assert.False(await store.DeleteAsync("doomed"));
        Assert.False(await store.DeleteAsync("never-was"));
    }
}
