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

    /// <summary>Claims and processes one job; returns its id, or null when the queue had nothing to do.</summary>
    public async Task<Guid?> ProcessNextAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var job = await jobs.ClaimAsync(WorkerId, settings.IngestionLease, settings.IngestionMaxAttempts, cancellationToken);
        if (job is null)
        {
            return null;
        }
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = new PeriodicTimer(settings.IngestionLease / 3);
        var renewing = RenewLeaseAsync(job, heartbeat, leaseLost);
        try
        {
            var result = await pipeline.IngestAsync(job.Request, leaseLost.Token);
            await jobs.CompleteAsync(job, result.Document.Id, result.Timings, CancellationToken.None);
            logger.LogInformation("Ingestion job {Job} completed: document {Document} ({Outcome}, {Chunks} chunks)",
                job.Id, result.Document.Id, result.Outcome, result.Document.ChunkCount);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: hand the job back now rather than making it wait for the lease to expire,
            // and claimable at once: it did not fail, so there is nothing to back off from.
            await jobs.FailAsync(job, "The worker processing it stopped.", retryAfter: TimeSpan.Zero, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            logger.LogWarning("Ingestion job {Job}: lease lost to another worker; abandoning this attempt", job.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A document we cannot read, or a model the collection refuses, fails the same way every time.
            var permanent = ex is DocumentExtractionException or EmbeddingModelMismatchException || job.Attempt >= settings.IngestionMaxAttempts;
            if (permanent)
            {
                await jobs.FailAsync(job, ex.Message, retryAfter: null, CancellationToken.None);
                logger.LogWarning(ex, "Ingestion job {Job} attempt {Attempt} failed for good", job.Id, job.Attempt);
            }
            else
            {
                // Backing off gives an overloaded embedder or a database fail-over time to recover.
                var retryAfter = RetryBackoff.From(settings).DelayAfter(job.Attempt);
                await jobs.FailAsync(job, ex.Message, retryAfter, CancellationToken.None);
                logger.LogWarning(ex, "Ingestion job {Job} attempt {Attempt} failed; retrying in {RetryAfter}", job.Id, job.Attempt, retryAfter);
            }
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
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogError(ex, "Ingestion worker could not reach the job queue; retrying");
                await Task.Delay(options.Value.IngestionPollInterval, stoppingToken);
            }
        }
    }

    private async Task RenewLeaseAsync(ClaimedJob job, PeriodicTimer heartbeat, CancellationTokenSource leaseLost)
    {
        try
        {
            while (await heartbeat.WaitForNextTickAsync())
            {
                if (!await jobs.RenewLeaseAsync(job, options.Value.IngestionLease))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (Npgsql.NpgsqlException ex)
        {
            logger.LogWarning(ex, "Ingestion job {Job}: could not renew the lease", job.Id);
        }
    }
}
