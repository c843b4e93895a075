using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Ingestion;

/// <summary>
/// The durable job queue in <c>ingestion_jobs</c>. Workers claim with <c>FOR UPDATE SKIP LOCKED</c>
/// (never the same row twice at once) and hold a lease; a job whose lease expired because its worker
/// died is claimable again. Each claim bumps <c>attempts</c>, which fences out a worker that lost its lease.
/// </summary>
public sealed class IngestionJobs(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Queues the upload for <paramref name="collection"/> (the content is kept in the database until
    /// processed) and returns the job id to poll, which is also the id the new document will have.
    /// </summary>
    public async Task<Guid> EnqueueAsync(IngestRequest request, string collection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Guid.CreateVersion7();
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO ingestion_jobs (id, collection, file_name, external_id, tags, content)
            VALUES (@id, @collection, @file, @external, @tags::jsonb, @content)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("file", request.FileName);
        command.Parameters.Add(new NpgsqlParameter<string?>("external", NpgsqlDbType.Text) { TypedValue = request.ExternalId });
        command.Parameters.AddWithValue("tags", TagsJson.Write(request.Tags));
        command.Parameters.AddWithValue("content", request.Content);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async Task<IngestionJob?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, collection, file_name, status, attempts, error, document_id, timings::text, created_at, updated_at, next_attempt_at
            FROM ingestion_jobs WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new IngestionJob(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetString(2),
            Enum.Parse<IngestionJobStatus>(reader.GetString(3), ignoreCase: true),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetGuid(6),
            reader.IsDBNull(7) ? null : ReadTimings(reader.GetString(7)),
            reader.GetFieldValue<DateTimeOffset>(8),
            reader.GetFieldValue<DateTimeOffset>(9))
        {
            NextAttemptAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        };
    }

    /// <summary>
    /// Claims the oldest pending job whose retry delay (if any) has passed, or one whose lease expired,
    /// for <paramref name="lease"/>. Expired jobs that already used <paramref name="maxAttempts"/> are marked failed instead.
    /// </summary>
    public async Task<ClaimedJob?> ClaimAsync(string worker, TimeSpan lease, int maxAttempts, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE ingestion_jobs
            SET status = 'failed', lease_until = NULL, updated_at = now(),
                error = coalesce(error || ' / ', '') || 'the worker processing it stopped responding ' || attempts || ' time(s)'
            WHERE status = 'processing' AND lease_until < now() AND attempts >= @max;

            UPDATE ingestion_jobs j
            SET status = 'processing', attempts = j.attempts + 1, claimed_by = @worker,
                lease_until = now() + @lease, next_attempt_at = NULL, updated_at = now()
            FROM (SELECT id FROM ingestion_jobs
                  WHERE (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
                     OR (status = 'processing' AND lease_until < now())
                  ORDER BY created_at
                  LIMIT 1
                  FOR UPDATE SKIP LOCKED) next
            WHERE j.id = next.id
            RETURNING j.id, j.attempts, j.collection, j.file_name, j.external_id, j.tags::text, j.content
            """);
        command.Parameters.AddWithValue("worker", worker);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("max", maxAttempts);
        // The first statement returns no rows, so the reader starts on the claim's RETURNING set.
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var request = new IngestRequest(reader.GetString(3), reader.GetFieldValue<byte[]>(6))
        {
            Collection = reader.GetString(2),
            ExternalId = reader.IsDBNull(4) ? null : reader.GetString(4),
            Tags = TagsJson.Read(reader.GetString(5)),
            DocumentId = reader.GetGuid(0),
        };
        return new ClaimedJob(reader.GetGuid(0), reader.GetInt32(1), request);
    }

    /// <summary>Extends the lease; false when another worker has taken the job over.</summary>
    public Task<bool> RenewLeaseAsync(ClaimedJob job, TimeSpan lease, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync(job, "lease_until = now() + @lease", p => p.AddWithValue("lease", lease), cancellationToken);

    public Task<bool> CompleteAsync(ClaimedJob job, Guid documentId, IngestionTimings timings, CancellationToken cancellationToken = default) =>
        // The upload is not needed once its document is stored: keeping it would double what the database holds.
        UpdateOwnedAsync(job, "status = 'completed', lease_until = NULL, error = NULL, document_id = @document, timings = @timings::jsonb, content = ''::bytea", p =>
        {
            p.AddWithValue("document", documentId);
            p.AddWithValue("timings", WriteTimings(timings));
        }, cancellationToken);

    /// <summary>
    /// Records the error. With <paramref name="retryAfter"/> the job goes back to pending and is not
    /// claimed again before that much time has passed (zero: claimable at once); without, it fails for good.
    /// </summary>
    public Task<bool> FailAsync(ClaimedJob job, string error, TimeSpan? retryAfter, CancellationToken cancellationToken = default)
    {
        if (retryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), retryAfter, "A retry cannot be scheduled in the past.");
        }
        // The database clock, like the lease's, so every instance sharing the queue agrees on when the job is due.
        return UpdateOwnedAsync(job,
            """
            status = @status, lease_until = NULL, error = @error,
            next_attempt_at = CASE WHEN @retry_after > interval '0' THEN now() + @retry_after END,
            content = CASE WHEN @status = 'failed' THEN ''::bytea ELSE content END
            """, p =>
            {
                p.AddWithValue("status", retryAfter is null ? "failed" : "pending");
                p.AddWithValue("error", error);
                p.Add(new NpgsqlParameter<TimeSpan?>("retry_after", NpgsqlDbType.Interval) { TypedValue = retryAfter });
            }, cancellationToken);
    }

    /// <summary>How many jobs are in each state, across every instance sharing the queue.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM ingestion_jobs GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private async Task<bool> UpdateOwnedAsync(ClaimedJob job, string assignments, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE ingestion_jobs SET {assignments}, updated_at = now()
            WHERE id = @id AND attempts = @attempt AND status = 'processing'
            """);
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("attempt", job.Attempt);
        parameters(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string WriteTimings(IngestionTimings timings) => JsonSerializer.Serialize(new Dictionary<string, double>
    {
        ["extractMs"] = timings.Extract.TotalMilliseconds,
        ["chunkMs"] = timings.Chunk.TotalMilliseconds,
        ["embedMs"] = timings.Embed.TotalMilliseconds,
        ["storeMs"] = timings.Store.TotalMilliseconds,
    });

    private static IngestionTimings ReadTimings(string json)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];
        return new IngestionTimings(
            TimeSpan.FromMilliseconds(values.GetValueOrDefault("extractMs")),
            TimeSpan.FromMilliseconds(values.GetValueOrDefault("chunkMs")),
            TimeSpan.FromMilliseconds(values.GetValueOrDefault("embedMs")),
            TimeSpan.FromMilliseconds(values.GetValueOrDefault("storeMs")));
    }
}
