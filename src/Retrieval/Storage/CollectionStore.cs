using Npgsql;

namespace Rag.Retrieval.Storage;

/// <summary>Whole collections: what exists, how large each is, and dropping one with everything in it.</summary>
public sealed class CollectionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Every collection by name, with its counts and the embedding model that wrote it.</summary>
    public async Task<IReadOnlyList<CollectionSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT c.name, c.embedding_model, c.embedding_dimension, c.created_at,
                   count(d.id), coalesce(sum(d.chunk_count), 0)::bigint,
                   (SELECT count(*) FROM ingestion_jobs j WHERE j.collection = c.name AND j.status IN ('pending', 'processing')),
                   max(d.created_at)
            FROM collections c
            LEFT JOIN documents d ON d.collection_id = c.id
            GROUP BY c.id
            ORDER BY c.name
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var collections = new List<CollectionSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            collections.Add(new CollectionSummary(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return collections;
    }

    /// <summary>
    /// Drops the collection, its documents and chunks, and the uploads still queued for it, in one transaction; false
    /// when there was no such collection and nothing queued. A job a worker is already processing may still store its
    /// document afterwards, creating the collection again.
    /// </summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var jobs = new NpgsqlCommand("DELETE FROM ingestion_jobs WHERE collection = @name AND status = 'pending'", connection, transaction);
        jobs.Parameters.AddWithValue("name", name);
        var queued = await jobs.ExecuteNonQueryAsync(cancellationToken);
        await using var collection = new NpgsqlCommand("DELETE FROM collections WHERE name = @name", connection, transaction);
        collection.Parameters.AddWithValue("name", name);
        var dropped = await collection.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return dropped + queued > 0;
    }
}

/// <param name="QueuedJobs">Uploads pending or being processed for this collection.</param>
/// <param name="LastDocumentAt">When its newest document was stored; null while it holds none.</param>
public sealed record CollectionSummary(
    string Name, string EmbeddingModel, int EmbeddingDimension, DateTimeOffset CreatedAt, long Documents, long Chunks, long QueuedJobs,
    DateTimeOffset? LastDocumentAt);
