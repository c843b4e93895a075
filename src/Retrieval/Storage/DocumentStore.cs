using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Storage;

/// <summary>
/// Collections, documents and their chunks in PostgreSQL. A document and all its chunks are
/// written in one transaction, chunks by binary COPY, so a failure at any point leaves nothing behind.
/// </summary>
public sealed class DocumentStore(NpgsqlDataSource dataSource)
{
    private const string UniqueViolation = "23505";

    private const string DocumentColumns =
        "d.id, c.name, d.external_id, d.name, d.content_type, d.tags::text, d.chunk_count, d.created_at, d.updated_at";

    /// <summary>Returns the collection, creating it for <paramref name="model"/> if new; refuses another model.</summary>
    public async Task<CollectionInfo> GetOrCreateCollectionAsync(string name, EmbeddingModelInfo model, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetOrCreateCollectionAsync(connection, name, model, cancellationToken);
    }

    /// <summary>The collection, or null when it does not exist; refuses a model other than the one that wrote it.</summary>
    public async Task<CollectionInfo?> FindCollectionAsync(string name, EmbeddingModelInfo model, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, embedding_model, embedding_dimension FROM collections WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var collection = new CollectionInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
        EnsureSameModel(collection, model);
        return collection;
    }

    /// <summary>The document already holding this content, if any (checked before spending time on embeddings).</summary>
    public async Task<StoredDocument?> FindByContentAsync(CollectionInfo collection, byte[] contentHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindByContentAsync(connection, collection, contentHash, cancellationToken);
    }

    /// <summary>
    /// Stores a document and its chunks in collection <paramref name="collectionName"/>, consuming <paramref name="embeddings"/>
    /// (one per chunk, in order) while the COPY runs. If the same content is already in the collection, nothing is
    /// written and the existing document is returned. A document with the same external id is
    /// replaced in the same transaction, so readers see either the old chunks or the new ones. A new collection is
    /// created in that transaction too, so a failed first upload leaves no empty collection behind.
    /// </summary>
    public async Task<StoreResult> StoreAsync(
        string collectionName,
        EmbeddingModelInfo model,
        NewDocument document,
        IReadOnlyList<Chunk> chunks,
        IAsyncEnumerable<ReadOnlyMemory<float>> embeddings,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(embeddings);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var collection = await GetOrCreateCollectionAsync(connection, collectionName, model, cancellationToken);
        if (await FindByContentAsync(connection, collection, document.ContentHash, cancellationToken) is { } existing)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new StoreResult(existing, StoreOutcome.Duplicate);
        }
        var replacedId = await DeleteByExternalIdAsync(connection, collection, document.ExternalId, cancellationToken);
        var id = replacedId ?? document.Id ?? Guid.CreateVersion7();
        var tags = TagsJson.Write(document.Tags);
        DateTimeOffset createdAt;
        try
        {
            createdAt = await InsertDocumentAsync(connection, collection, id, document, tags, chunks.Count, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.ConstraintName == "documents_collection_id_content_hash_key")
        {
            // Another ingestion of the same content committed after our check: theirs wins.
            await transaction.RollbackAsync(cancellationToken);
            var winner = await FindByContentAsync(connection, collection, document.ContentHash, cancellationToken);
            return winner is null ? throw new InvalidOperationException("Duplicate content vanished during ingestion.", ex) : new StoreResult(winner, StoreOutcome.Duplicate);
        }
        await CopyChunksAsync(connection, collection, id, tags, chunks, embeddings, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var stored = new StoredDocument(
            id, collection.Name, document.ExternalId, document.Name, document.ContentType, document.Tags, chunks.Count, createdAt, createdAt);
        return new StoreResult(stored, replacedId is null ? StoreOutcome.Created : StoreOutcome.Replaced);
    }

    public async Task<StoredDocument?> GetAsync(CollectionInfo collection, Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, collection, id, cancellationToken);
    }

    /// <summary>Documents in id (= creation) order, <paramref name="limit"/> at a time, after <paramref name="after"/>.</summary>
    public async Task<DocumentPage> ListAsync(CollectionInfo collection, int limit, Guid? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {DocumentColumns} FROM documents d JOIN collections c ON c.id = d.collection_id
            WHERE d.collection_id = @collection AND (@after::uuid IS NULL OR d.id > @after)
            ORDER BY d.id LIMIT @limit
            """);
        command.Parameters.AddWithValue("collection", collection.Id);
        command.Parameters.Add(new NpgsqlParameter<Guid?>("after", NpgsqlDbType.Uuid) { TypedValue = after });
        command.Parameters.AddWithValue("limit", limit + 1);
        var documents = await ReadDocumentsAsync(command, cancellationToken);
        return documents.Count > limit
            ? new DocumentPage(documents[..limit], documents[limit - 1].Id)
            : new DocumentPage(documents, null);
    }

    /// <summary>Deletes a document and its chunks; false when it was not in the collection.</summary>
    public async Task<bool> DeleteAsync(CollectionInfo collection, Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM documents WHERE id = @id AND collection_id = @collection");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("collection", collection.Id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<CollectionInfo> GetOrCreateCollectionAsync(
        NpgsqlConnection connection, string name, EmbeddingModelInfo model, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        // A creator racing us may commit after our statement's snapshot, so neither branch of the
        // query sees a row; the next attempt does. Inside a transaction the insert waits for a creator
        // that has not committed yet, and the new row disappears with a rollback.
        while (true)
        {
            await using var command = new NpgsqlCommand(
                """
                WITH created AS (
                    INSERT INTO collections (name, embedding_model, embedding_dimension) VALUES (@name, @model, @dimension)
                    ON CONFLICT (name) DO NOTHING
                    RETURNING id, name, embedding_model, embedding_dimension)
                SELECT * FROM created
                UNION ALL
                SELECT id, name, embedding_model, embedding_dimension FROM collections WHERE name = @name
                LIMIT 1
                """, connection);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("model", model.Id);
            command.Parameters.AddWithValue("dimension", model.Dimension);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var collection = new CollectionInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
                EnsureSameModel(collection, model);
                return collection;
            }
        }
    }

    private static void EnsureSameModel(CollectionInfo collection, EmbeddingModelInfo model)
    {
        if (collection.EmbeddingModel != model.Id || collection.EmbeddingDimension != model.Dimension)
        {
            throw new EmbeddingModelMismatchException(collection, model);
        }
    }

    private static Task<StoredDocument?> FindByContentAsync(NpgsqlConnection connection, CollectionInfo collection, byte[] contentHash, CancellationToken cancellationToken) =>
        ReadOneAsync(connection, collection, "d.content_hash = @key", contentHash, cancellationToken);

    private static Task<StoredDocument?> GetAsync(NpgsqlConnection connection, CollectionInfo collection, Guid id, CancellationToken cancellationToken) =>
        ReadOneAsync(connection, collection, "d.id = @key", id, cancellationToken);

    private static async Task<StoredDocument?> ReadOneAsync<TKey>(
        NpgsqlConnection connection, CollectionInfo collection, string condition, TKey key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {DocumentColumns} FROM documents d JOIN collections c ON c.id = d.collection_id
            WHERE d.collection_id = @collection AND {condition}
            """, connection);
        command.Parameters.AddWithValue("collection", collection.Id);
        command.Parameters.Add(new NpgsqlParameter<TKey>("key", key));
        var documents = await ReadDocumentsAsync(command, cancellationToken);
        return documents.Count == 0 ? null : documents[0];
    }

    /// <summary>Deletes the document with this external id (its chunks cascade) and returns its id for reuse.</summary>
    private static async Task<Guid?> DeleteByExternalIdAsync(NpgsqlConnection connection, CollectionInfo collection, string? externalId, CancellationToken cancellationToken)
    {
        if (externalId is null)
        {
            return null;
        }
        await using var command = new NpgsqlCommand(
            "DELETE FROM documents WHERE collection_id = @collection AND external_id = @external RETURNING id", connection);
        command.Parameters.AddWithValue("collection", collection.Id);
        command.Parameters.AddWithValue("external", externalId);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    /// <summary>Inserts the document row and returns its creation time (also its update time: the row is new).</summary>
    private static async Task<DateTimeOffset> InsertDocumentAsync(
        NpgsqlConnection connection, CollectionInfo collection, Guid id, NewDocument document, string tags, int chunkCount, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO documents (id, collection_id, external_id, name, content_type, content_hash, tags, chunk_count)
            VALUES (@id, @collection, @external, @name, @type, @hash, @tags::jsonb, @chunks)
            RETURNING created_at
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("collection", collection.Id);
        command.Parameters.Add(new NpgsqlParameter<string?>("external", NpgsqlDbType.Text) { TypedValue = document.ExternalId });
        command.Parameters.AddWithValue("name", document.Name);
        command.Parameters.AddWithValue("type", document.ContentType);
        command.Parameters.AddWithValue("hash", document.ContentHash);
        command.Parameters.AddWithValue("tags", tags);
        command.Parameters.AddWithValue("chunks", chunkCount);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static async Task CopyChunksAsync(
        NpgsqlConnection connection,
        CollectionInfo collection,
        Guid documentId,
        string tags,
        IReadOnlyList<Chunk> chunks,
        IAsyncEnumerable<ReadOnlyMemory<float>> embeddings,
        CancellationToken cancellationToken)
    {
        // Disposing the importer without Complete cancels the COPY; the open transaction then rolls back.
        await using var importer = await connection.BeginBinaryImportAsync(
            """
            COPY chunks (document_id, collection_id, ordinal, text, token_count, start_offset, end_offset, page, section_path, tags, embedding)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        var written = 0;
        await foreach (var embedding in embeddings.WithCancellation(cancellationToken))
        {
            if (written == chunks.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned more than the {chunks.Count} vectors requested.");
            }
            if (embedding.Length != collection.EmbeddingDimension)
            {
                throw new InvalidOperationException(
                    $"The embedding generator returned a {embedding.Length}-dimension vector; collection '{collection.Name}' stores {collection.EmbeddingDimension}.");
            }
            var chunk = chunks[written];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(documentId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(collection.Id, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(chunk.Ordinal, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(chunk.Text, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(chunk.TokenCount, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(chunk.StartOffset, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(chunk.EndOffset, NpgsqlDbType.Integer, cancellationToken);
            if (chunk.Page is int page)
            {
                await importer.WriteAsync(page, NpgsqlDbType.Integer, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }
            // The extractors hand out arrays, shared by every chunk of a section: no copy per row.
            await importer.WriteAsync(chunk.SectionPath as string[] ?? [.. chunk.SectionPath], NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(tags, NpgsqlDbType.Jsonb, cancellationToken);
            await importer.WriteAsync(new Vector(embedding), "vector", cancellationToken);
            written++;
        }
        if (written != chunks.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {written} vectors for {chunks.Count} chunks.");
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task<List<StoredDocument>> ReadDocumentsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var documents = new List<StoredDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(new StoredDocument(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                TagsJson.Read(reader.GetString(5)),
                reader.GetInt32(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }
        return documents;
    }
}
