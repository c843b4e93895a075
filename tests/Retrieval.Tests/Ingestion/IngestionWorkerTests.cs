using System.Collections.Concurrent;
using System.Text;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Ingestion;

public sealed class IngestionWorkerTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    private static IngestRequest Text(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));

    private Task<long> KeptUploadBytesAsync(Guid id) => Database.ScalarAsync($"SELECT octet_length(content) FROM ingestion_jobs WHERE id = '{id}'");

    /// <summary>Far longer than any test runs, so a job waiting for its retry is still waiting at the end.</summary>
    private static readonly TimeSpan LongRetryDelay = TimeSpan.FromMinutes(10);

    private RetrievalHarness WithRetryDelay(TimeSpan delay, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? generator = null)
    {
        var settings = RetrievalHarness.DefaultSettings(encoder);
        settings.IngestionRetryDelay = delay;
        settings.IngestionRetryMaxDelay = TimeSpan.FromHours(1);
        return new RetrievalHarness(Database, encoder, generator, settings: settings);
    }

    /// <summary>Moves a waiting job's next attempt into the past, as if its delay had gone by.</summary>
    private async Task MakeDueAsync(Guid id) =>
        Assert.Equal(1, await Database.ScalarAsync(
            $"UPDATE ingestion_jobs SET next_attempt_at = now() - interval '1 second' WHERE id = '{id}' AND next_attempt_at > now() RETURNING 1"));

    /// <summary>Moves a held job's lease into the past, as if its worker had stopped renewing it that long ago.</summary>
    private async Task ExpireLeaseAsync(Guid id) =>
        Assert.Equal(1, await Database.ScalarAsync(
            $"UPDATE ingestion_jobs SET lease_until = now() - interval '1 second' WHERE id = '{id}' AND status = 'processing' RETURNING 1"));

    [Fact]
    public async Task A_queued_job_completes_with_its_document_and_step_timings()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var id = await harness.Jobs.EnqueueAsync(Text("notes.md", "# Notes\n\nSome notes about lemons and limes."), "default");
        Assert.Equal(IngestionJobStatus.Pending, (await harness.Jobs.GetAsync(id))!.Status);

        Assert.Equal(id, await harness.NewWorker().ProcessNextAsync());

        var job = (await harness.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Completed, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Equal(0, await KeptUploadBytesAsync(id));
        // The id the upload was answered with is the document's.
        Assert.Equal(id, job.DocumentId);
        Assert.NotNull(job.Timings);
        Assert.True(job.Timings.Embed > TimeSpan.Zero && job.Timings.Store > TimeSpan.Zero && job.Timings.Extract > TimeSpan.Zero);
        Assert.Equal(1, await Database.ScalarAsync($"SELECT count(*) FROM documents WHERE id = '{job.DocumentId}'"));
        Assert.Null(await harness.NewWorker().ProcessNextAsync());
    }

    [Fact]
    public async Task Two_workers_never_process_the_same_job()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var queued = new List<Guid>();
        for (var i = 0; i < 24; i++)
        {
            queued.Add(await harness.Jobs.EnqueueAsync(Text($"doc{i}.txt", $"Document {i} talks about topic {i} at length."), "default"));
        }
        var processed = new ConcurrentBag<(int Worker, Guid Job)>();

        async Task RunAsync(int worker)
        {
            var instance = harness.NewWorker();
            while (await instance.ProcessNextAsync() is Guid job)
            {
                processed.Add((worker, job));
            }
        }
        await Task.WhenAll(Task.Run(() => RunAsync(1)), Task.Run(() => RunAsync(2)));

        Assert.Equal(queued.Order(), processed.Select(p => p.Job).Order());
        Assert.DoesNotContain(processed.GroupBy(p => p.Job), g => g.Count() > 1);
        Assert.Equal(24, await Database.ScalarAsync("SELECT count(*) FROM ingestion_jobs WHERE status = 'completed' AND attempts = 1"));
        Assert.Equal(24, await Database.ScalarAsync("SELECT count(*) FROM documents"));
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_picked_up_again_after_its_lease()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var id = await harness.Jobs.EnqueueAsync(Text("orphan.txt", "A job whose first worker crashed."), "default");
        // A worker claims it and then dies without finishing.
        var dead = await harness.Jobs.ClaimAsync("dead-worker", TimeSpan.FromMinutes(10), maxAttempts: 3);
        Assert.Equal(id, dead!.Id);
        Assert.Null(await harness.NewWorker().ProcessNextAsync());

        await ExpireLeaseAsync(id);
        Assert.Equal(id, await harness.NewWorker().ProcessNextAsync());

        var job = (await harness.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Completed, job.Status);
        Assert.Equal(2, job.Attempts);
        // The dead worker's late completion is fenced out: its attempt is no longer the current one.
        Assert.False(await harness.Jobs.CompleteAsync(dead, Guid.NewGuid(), new IngestionTimings(default, default, default, default)));
    }

    [Fact]
    public async Task A_worker_stopped_mid_job_hands_it_back_at_once()
    {
        using var stopping = new CancellationTokenSource();
        // With a long retry delay configured: stopping is not a failure, so the job must not wait for it.
        var slow = WithRetryDelay(LongRetryDelay, new BlockingEmbeddingGenerator(encoder.Generator, stopping));
        var id = await slow.Jobs.EnqueueAsync(Text("slow.txt", "Embedding this takes until shutdown."), "default");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.NewWorker().ProcessNextAsync(stopping.Token));

        var job = (await slow.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Pending, job.Status);
        Assert.Null(job.NextAttemptAt);
        Assert.Equal(id, await WithRetryDelay(LongRetryDelay).NewWorker().ProcessNextAsync());
    }

    /// <summary>Signals shutdown from inside the embedding call, then waits to be cancelled; the real model describes itself.</summary>
    private sealed class BlockingEmbeddingGenerator(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> inner, CancellationTokenSource stopping)
        : CountingEmbeddingGenerator(inner)
    {
        public override async Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            await stopping.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task An_unreadable_file_fails_the_job_with_the_error()
    {
        var harness = new RetrievalHarness(Database, encoder);
        var id = await harness.Jobs.EnqueueAsync(new IngestRequest("scan.pdf", Encoding.UTF8.GetBytes("not really a pdf")), "default");

        await harness.NewWorker().ProcessNextAsync();

        var job = (await harness.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Failed, job.Status);
        Assert.Contains("scan.pdf", job.Error, StringComparison.Ordinal);
        Assert.Equal(0, await KeptUploadBytesAsync(id));
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM documents"));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_it_succeeds()
    {
        var failing = new RetrievalHarness(Database, encoder, new FailingEmbeddingGenerator(encoder.Generator, succeedingCalls: 0));
        var id = await failing.Jobs.EnqueueAsync(Text("retry.txt", "Retry me please."), "default");

        await failing.NewWorker().ProcessNextAsync();
        var afterFailure = (await failing.Jobs.GetAsync(id))!;
        // A job that will be retried keeps its upload for the next attempt.
        Assert.Equal("Retry me please."u8.Length, await KeptUploadBytesAsync(id));
        await new RetrievalHarness(Database, encoder).NewWorker().ProcessNextAsync();

        Assert.Equal(IngestionJobStatus.Pending, afterFailure.Status);
        Assert.Contains("injected", afterFailure.Error, StringComparison.Ordinal);
        var job = (await failing.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Completed, job.Status);
        Assert.Equal(2, job.Attempts);
    }

    [Fact]
    public async Task A_failed_job_is_not_claimed_again_before_its_retry_delay()
    {
        var failing = WithRetryDelay(LongRetryDelay, new FailingEmbeddingGenerator(encoder.Generator, succeedingCalls: 0));
        var id = await failing.Jobs.EnqueueAsync(Text("later.txt", "Retry me, but not right away."), "default");
        var before = DateTimeOffset.UtcNow;

        Assert.Equal(id, await failing.NewWorker().ProcessNextAsync());

        var waiting = (await failing.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Pending, waiting.Status);
        Assert.Contains("injected", waiting.Error, StringComparison.Ordinal);
        // Scheduled by the same statement that recorded the failure, on the database clock.
        Assert.Equal(waiting.UpdatedAt + LongRetryDelay, waiting.NextAttemptAt);
        Assert.InRange(waiting.NextAttemptAt!.Value, before + LongRetryDelay - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow + LongRetryDelay + TimeSpan.FromMinutes(1));

        var healthy = WithRetryDelay(LongRetryDelay);
        Assert.Null(await healthy.NewWorker().ProcessNextAsync());
        Assert.Equal(1, (await healthy.Jobs.GetAsync(id))!.Attempts);

        await MakeDueAsync(id);
        Assert.Equal(id, await healthy.NewWorker().ProcessNextAsync());

        var job = (await healthy.Jobs.GetAsync(id))!;
        Assert.Equal(IngestionJobStatus.Completed, job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Null(job.NextAttemptAt);
    }

    [Fact]
    public async Task Each_further_failure_doubles_the_wait_until_the_job_fails_for_good()
    {
        var failing = WithRetryDelay(TimeSpan.FromMinutes(3), new FailingEmbeddingGenerator(encoder.Generator, succeedingCalls: 0));
        Assert.Equal(3, failing.Settings.IngestionMaxAttempts);
        var id = await failing.Jobs.EnqueueAsync(Text("flaky.txt", "The embedder keeps failing on this one."), "default");

        await failing.NewWorker().ProcessNextAsync();
        var first = (await failing.Jobs.GetAsync(id))!;
        await MakeDueAsync(id);
        await failing.NewWorker().ProcessNextAsync();
        var second = (await failing.Jobs.GetAsync(id))!;
        await MakeDueAsync(id);
        await failing.NewWorker().ProcessNextAsync();
        var last = (await failing.Jobs.GetAsync(id))!;

        Assert.Equal(TimeSpan.FromMinutes(3), first.NextAttemptAt - first.UpdatedAt);
        Assert.Equal(TimeSpan.FromMinutes(6), second.NextAttemptAt - second.UpdatedAt);
        Assert.Equal((IngestionJobStatus.Failed, 3), (last.Status, last.Attempts));
        Assert.Null(last.NextAttemptAt);
        Assert.Null(await failing.NewWorker().ProcessNextAsync());
    }
}
