using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Storage;

public sealed class DocumentStoreTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    /// <summary>Enough paragraphs that chunks sized for the 64-token encoder and 4-chunk batches need several embedding calls.</summary>
    private static string ManyParagraphs(string topic, int count) =>
        string.Join("\n\n", Enumerable.Range(0, count).Select(i => $"Paragraph {i} about {topic}: the {topic} server stores data and answers question number {i} quickly."));

    private Task<long> RowsAsync(string table) => Database.ScalarAsync($"SELECT count(*) FROM {table}");

    [Fact]
    public async Task Ingest_failure_mid_embedding_leaves_no_rows_not_even_the_new_collection()
    {
        var generator = new FailingEmbeddingGenerator(encoder.Generator, succeedingCalls: 1);
        var harness = new RetrievalHarness(Database, encoder, generator);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.IngestTextAsync("big.txt", ManyParagraphs("apple", 20)));

        // The first batch went into the COPY before the second call failed; the rollback took it back out.
        Assert.Equal(1, generator.Calls);
        Assert.Equal(2, generator.Attempts);
        Assert.Equal(0, await RowsAsync("documents"));
        Assert.Equal(0, await RowsAsync("chunks"));
        // The collection the upload would have created went with the same rollback.
        Assert.Equal(0, await RowsAsync("collections"));
    }

    [Fact]
    public async Task An_unreadable_upload_leaves_no_trace()
    {
        var harness = new RetrievalHarness(Database, encoder);

        await Assert.ThrowsAsync<Rag.Retrieval.Extraction.UnsupportedDocumentException>(() => harness.Pipeline.IngestAsync(
            new IngestRequest("image.bin", new byte[] { 1, 0, 2, 0, 3 }) { Collection = "fresh" }));

        Assert.Equal(0, await RowsAsync("collections"));
        Assert.Equal(0, await RowsAsync("documents"));
    }

    [Fact]
    public async Task A_failed_replacement_keeps_the_previous_version()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var original = await harness.IngestTextAsync("v1.txt", ManyParagraphs("apple", 6), externalId: "doc-1");
        var chunksBefore = await RowsAsync("chunks");

        var failing = new RetrievalHarness(Database, encoder, new FailingEmbeddingGenerator(encoder.Generator, succeedingCalls: 1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.IngestTextAsync("v2.txt", ManyParagraphs("banana", 20), externalId: "doc-1"));

        var kept = await harness.Store.GetAsync((await harness.Store.FindCollectionAsync("default", await harness.Embedder.GetModelAsync()))!, original.Document.Id);
        Assert.NotNull(kept);
        Assert.Equal("v1.txt", kept.Name);
        Assert.Equal(chunksBefore, await RowsAsync("chunks"));
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM chunks WHERE text LIKE '%banana%'"));
    }

    [Fact]
    public async Task The_same_content_twice_returns_the_existing_document_without_embedding_again()
    {
        var generator = new CountingEmbeddingGenerator(encoder.Generator);
        var harness = new RetrievalHarness(Database, encoder, generator);
        var first = await harness.IngestTextAsync("a.txt", ManyParagraphs("cherry", 5));
        var callsAfterFirst = generator.Calls;
        var chunks = await RowsAsync("chunks");

        var second = await harness.IngestTextAsync("copy-of-a.txt", ManyParagraphs("cherry", 5));

        Assert.Equal(StoreOutcome.Created, first.Outcome);
        Assert.Equal(StoreOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.Document.Id, second.Document.Id);
        Assert.Equal(callsAfterFirst, generator.Calls);
        Assert.Equal(1, await RowsAsync("documents"));
        Assert.Equal(chunks, await RowsAsync("chunks"));
    }

    [Fact]
    public async Task Concurrent_ingestion_of_the_same_content_stores_it_once()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var text = ManyParagraphs("damson", 8);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => harness.IngestTextAsync("d.txt", text))));

        Assert.Single(results, r => r.Outcome == StoreOutcome.Created);
        Assert.Single(results.Select(r => r.Document.Id).Distinct());
        Assert.Equal(1, await RowsAsync("documents"));
    }

    [Fact]
    public async Task The_same_content_in_another_collection_is_stored_separately()
    {
        var harness = new RetrievalHarness(Database, encoder);

        var a = await harness.IngestTextAsync("a.txt", "Shared text about elderberries.", collection: "one");
        var b = await harness.IngestTextAsync("a.txt", "Shared text about elderberries.", collection: "two");

        Assert.Equal(StoreOutcome.Created, b.Outcome);
        Assert.NotEqual(a.Document.Id, b.Document.Id);
    }

    [Fact]
    public async Task Reingesting_an_external_id_replaces_its_chunks_under_the_same_id()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var first = await harness.IngestTextAsync("fig.txt", ManyParagraphs("fig", 6), externalId: "manual");

        var second = await harness.IngestTextAsync("fig-v2.txt", ManyParagraphs("grape", 3), externalId: "manual");

        Assert.Equal(StoreOutcome.Replaced, second.Outcome);
        Assert.Equal(first.Document.Id, second.Document.Id);
        Assert.Equal("fig-v2.txt", second.Document.Name);
        Assert.Equal(1, await RowsAsync("documents"));
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM chunks WHERE text LIKE '%fig%'"));
        Assert.Equal(second.Document.ChunkCount, await RowsAsync("chunks"));
    }

    [Fact]
    public async Task Delete_removes_the_document_and_its_chunks_once()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var kept = await harness.IngestTextAsync("keep.txt", ManyParagraphs("kiwi", 3));
        var doomed = await harness.IngestTextAsync("drop.txt", ManyParagraphs("lime", 3));
        var collection = (await harness.Store.FindCollectionAsync("default", await harness.Embedder.GetModelAsync()))!;

        Assert.True(await harness.Store.DeleteAsync(collection, doomed.Document.Id));
        Assert.False(await harness.Store.DeleteAsync(collection, doomed.Document.Id));

        Assert.Null(await harness.Store.GetAsync(collection, doomed.Document.Id));
        Assert.NotNull(await harness.Store.GetAsync(collection, kept.Document.Id));
        Assert.Equal(0, await Database.ScalarAsync($"SELECT count(*) FROM chunks WHERE document_id = '{doomed.Document.Id}'"));
        Assert.Equal(kept.Document.ChunkCount, await RowsAsync("chunks"));
    }

    [Fact]
    public async Task A_collection_refuses_an_embedding_model_other_than_its_own()
    {
        // A second forged encoder of the same shape and dimension: only its model id differs.
        using var modelB = ForgedEncoder.Load(seed: 2);
        var original = new RetrievalHarness(Database, encoder);
        await original.IngestTextAsync("a.txt", "Written with model A.", collection: "pinned");
        var other = new RetrievalHarness(Database, encoder, modelB);

        var ingest = await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => other.IngestTextAsync("b.txt", "Written with model B.", collection: "pinned"));
        var search = await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => other.Search.SearchAsync(new Rag.Retrieval.Search.SearchRequest("anything") { Collection = "pinned" }));

        Assert.NotEqual(encoder.Generator.ModelId, modelB.ModelId);
        Assert.Equal(modelB.Dimension, encoder.Dimension);
        Assert.Contains(encoder.Generator.ModelId, ingest.Message, StringComparison.Ordinal);
        Assert.Contains(modelB.ModelId, ingest.Message, StringComparison.Ordinal);
        Assert.Contains("pinned", search.Message, StringComparison.Ordinal);
        Assert.Equal(1, await RowsAsync("documents"));
    }

    [Fact]
    public async Task Listing_pages_through_every_document_once_in_order()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await harness.IngestTextAsync($"n{i}.txt", $"Note number {i} mentions mango {i}.")).Document.Id);
        }
        var collection = (await harness.Store.FindCollectionAsync("default", await harness.Embedder.GetModelAsync()))!;

        var listed = new List<Guid>();
        var pages = 0;
        Guid? cursor = null;
        do
        {
            var page = await harness.Store.ListAsync(collection, 2, cursor);
            Assert.InRange(page.Documents.Count, 1, 2);
            listed.AddRange(page.Documents.Select(d => d.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids, listed);
    }

    [Fact]
    public async Task Stored_chunks_keep_offsets_token_counts_and_tags()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var text = ManyParagraphs("nectarine", 6);

        await harness.IngestTextAsync("n.txt", text, tags: new Dictionary<string, string> { ["team"] = "red" });

        await using var command = Database.DataSource.CreateCommand("SELECT text, start_offset, end_offset, token_count, tags->>'team' FROM chunks ORDER BY ordinal");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            Assert.Equal(text[reader.GetInt32(1)..reader.GetInt32(2)], reader.GetString(0));
            Assert.InRange(reader.GetInt32(3), 1, encoder.ChunkMaxTokens);
            Assert.Equal("red", reader.GetString(4));
        }
        Assert.True(rows > 1);
    }
}
