using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Ingestion;

/// <summary>
/// Processes queued ingestion jobs. Any number of workers, in any number of processes, share the
/// queue; each renews its lease while it works so only a dead worker's jobs are taken over.
/// </summary>
public sealed class IngestionWorker(
    IngestionJobs jobs, IngestionPipeline pipeline, IOptions<RetrievalOptions> options, ILogger<IngestionWorker> logger) : BackgroundService
{
    public string WorkerId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// Claims and processes one job; returns its id, or null when the queue had nothing to do. Cancelling
    /// <paramref name="cancellationToken"/> hands the job back to the queue at once, even in the middle of an extraction.
    /// </summary>
    public async Task<Guid?> ProcessNextAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        // The claim commits the incremented attempt count before any work starts, so a job that kills its
        // worker has used an attempt, and fails for good once they are used up (see IngestionJobs.ClaimAsync).
        var job = await jobs.ClaimAsync(WorkerId, settings.IngestionLease, settings.IngestionMaxAttempts, cancellationToken);
        if (job is null)
        {
            return null;
        }
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = new PeriodicTimer(settings.IngestionHeartbeat);
        var renewing = RenewLeaseAsync(job, heartbeat, leaseLost);
        try
        {
            // On a pool thread and awaited with the token: extraction is synchronous CPU work, and neither a
            // shutdown nor a lost lease may wait for it to end.
            var processing = Task.Run(() => pipeline.IngestAsync(job.Request, leaseLost.Token), CancellationToken.None);
            IngestResult result;
            try
            {
                result = await processing.WaitAsync(leaseLost.Token);
            }
            catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
            {
                // Whatever it still does is cancelled at its next await; its late outcome is nobody's business.
                _ = processing.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }
            await RecordAsync(job, () => jobs.CompleteAsync(job, result.Document.Id, result.Timings, CancellationToken.None), cancellationToken);
            logger.LogInformation("Ingestion job {Job} completed: document {Document} ({Outcome}, {Chunks} chunks)",
                job.Id, result.Document.Id, result.Outcome, result.Document.ChunkCount);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await HandBackAsync(job);
            throw;
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            logger.LogWarning("Ingestion job {Job}: lease lost to another worker; abandoning this attempt", job.Id);
        }
        catch (Exception ex)
        {
            // Any other exception, a stray cancellation (a remote embedder's HTTP timeout) included, is this attempt's failure.
            await RecordFailureAsync(job, ex, cancellationToken);
        }
        finally
        {
            heartbeat.Dispose();
            await renewing;
        }
        return job.Id;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunIngestionWorker)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ProcessNextAsync(stoppingToken) is null)
                {
                    await Task.Delay(options.Value.IngestionPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The queue is unreachable (or something unforeseen broke): the worker keeps polling rather than
                // stopping the host, and resumes by itself when the database is back.
                if (DatabaseOutage.Caused(ex))
                {
                    logger.LogWarning("Ingestion worker could not reach the job queue ({Reason}); retrying", ex.Message);
                }
                else
                {
                    logger.LogError(ex, "Ingestion worker failed; retrying");
                }
                await Task.Delay(options.Value.IngestionPollInterval, stoppingToken);
            }
        }
    }

    private async Task RecordFailureAsync(ClaimedJob job, Exception ex, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // A document we cannot read, or a model the collection refuses, fails the same way every time.
        if (ex is DocumentExtractionException or EmbeddingModelMismatchException || job.Attempt >= settings.IngestionMaxAttempts)
        {
            await RecordAsync(job, () => jobs.FailAsync(job, ex.Message, retryAfter: null, CancellationToken.None), cancellationToken);
            logger.LogWarning(ex, "Ingestion job {Job} attempt {Attempt} failed for good", job.Id, job.Attempt);
            return;
        }
        // Backing off gives an overloaded embedder or a database fail-over time to recover.
        var retryAfter = RetryBackoff.From(settings).DelayAfter(job.Attempt);
        await RecordAsync(job, () => jobs.FailAsync(job, ex.Message, retryAfter, CancellationToken.None), cancellationToken);
        logger.LogWarning(ex, "Ingestion job {Job} attempt {Attempt} failed; retrying in {RetryAfter}", job.Id, job.Attempt, retryAfter);
    }

    /// <summary>
    /// Writes a job's outcome, retrying while the database is down so the job is back in the queue as soon as the
    /// database returns rather than when its lease runs out. Gives up only when the worker stops.
    /// </summary>
    private async Task RecordAsync(ClaimedJob job, Func<Task<bool>> write, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                // False: another worker took the job over meanwhile, and its outcome is the one that counts.
                await write();
                return;
            }
            catch (Exception ex) when (DatabaseOutage.Caused(ex) && !stopping.IsCancellationRequested)
            {
                logger.LogWarning("Ingestion job {Job}: could not record its outcome ({Reason}); retrying", job.Id, ex.Message);
                await Task.Delay(options.Value.IngestionPollInterval, stopping);
            }
        }
    }

    /// <summary>
    /// Shutting down: the job goes back to the queue now rather than when its lease expires, claimable at once
    /// (it did not fail, so there is nothing to back off from).
    /// </summary>
    private async Task HandBackAsync(ClaimedJob job)
    {
        try
        {
            await jobs.FailAsync(job, "The worker processing it stopped.", retryAfter: TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception ex) when (DatabaseOutage.Caused(ex))
        {
            logger.LogWarning("Ingestion job {Job}: could not hand it back ({Reason}); another worker takes it when its lease expires", job.Id, ex.Message);
        }
    }

    private async Task RenewLeaseAsync(ClaimedJob job, PeriodicTimer heartbeat, CancellationTokenSource leaseLost)
    {
        while (await heartbeat.WaitForNextTickAsync())
        {
            try
            {
                if (!await jobs.RenewLeaseAsync(job, options.Value.IngestionLease))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
            catch (Exception ex) when (DatabaseOutage.Caused(ex))
            {
                // The next beat tries again: a short outage must not cost a live worker its job.
                logger.LogWarning("Ingestion job {Job}: could not renew the lease ({Reason})", job.Id, ex.Message);
            }
        }
    }
}
