using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.AI;
using Npgsql;
using Pgvector.Npgsql;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Ingestion;

/// <summary>
/// Leases between real workers: a worker that dies mid-job (its database sessions gone, its heartbeat silent) loses the
/// job after the lease, a job that kills every worker runs out of attempts, a slow live worker keeps its job, and a
/// stopping worker hands its job back without waiting for the step it is stuck in.
/// </summary>
public sealed class WorkerLeaseTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    /// <summary>Far longer than a passing test waits; reaching it means the behaviour under test did not happen.</summary>
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(2);

    private RetrievalOptions Settings(int maxAttempts = 3)
    {
        var settings = RetrievalHarness.DefaultSettings(encoder);
        settings.IngestionLease = Lease;
        settings.IngestionHeartbeat = TimeSpan.FromMilliseconds(200);
        settings.IngestionMaxAttempts = maxAttempts;
        return settings;
    }

    private static IngestRequest Text(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_job_that_kills_every_worker_that_claims_it_fails_for_good_after_the_attempt_limit()
    {
        var harness = new RetrievalHarness(Database, encoder, settings: Settings(maxAttempts: 2));
        var id = await harness.Jobs.EnqueueAsync(Text("poison.txt", "Whoever embeds this dies."), "default");

        // Two workers, each in its own "process" (its own connections), each killed by the job it claims.
        await using var first = new CrashingProcess(Database, encoder, Settings(maxAttempts: 2), "worker-1");
        await using var second = new CrashingProcess(Database, encoder, Settings(maxAttempts: 2), "worker-2");
        await first.RunUntilKilledAsync();
        var afterFirst = (await harness.Jobs.GetAsync(id))!;
        await second.RunUntilKilledAsync();

        // A healthy worker finds nothing to do: claiming marks the job failed, since its attempts are used up.
        var healthy = harness.NewWorker();
        Guid? claimed;
        var deadline = DateTime.UtcNow + GiveUp;
        while ((await harness.Jobs.GetAsync(id))!.Status != IngestionJobStatus.Failed && DateTime.UtcNow < deadline)
        {
            claimed = await healthy.ProcessNextAsync();
            Assert.Null(claimed);
            await Task.Delay(100);
        }

        var job = (await harness.Jobs.GetAsync(id))!;
        Assert.Equal((IngestionJobStatus.Processing, 1), (afterFirst.Status, afterFirst.Attempts));
        Assert.Equal((IngestionJobStatus.Failed, 2), (job.Status, job.Attempts));
        Assert.Contains("stopped responding 2 time(s)", job.Error, StringComparison.Ordinal);
        // Both attempts got the same upload; nothing of it was stored.
        Assert.Equal(first.Embedded, second.Embedded);
        Assert.Contains("Whoever embeds this dies.", first.Embedded, StringComparison.Ordinal);
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM documents"));
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM collections"));
    }

    [Fact]
    public async Task A_slow_job_keeps_its_lease_by_heartbeat_and_is_never_taken_over()
    {
        var settings = Settings();
        using var release = new SemaphoreSlim(0);
        var slow = new HeldEmbeddingGenerator(encoder.Generator, release);
        var harness = new RetrievalHarness(Database, encoder, slow, settings: settings);
        var id = await harness.Jobs.EnqueueAsync(Text("slow.txt", "This one takes a long time to embed."), "default");

        var processing = harness.NewWorker().ProcessNextAsync();
        await slow.Started.Task.WaitAsync(GiveUp);
        var claimedUntil = await LeaseUntilAsync(id);
        // Wait (on the database clock) until the lease taken at the claim is long over: only heartbeats keep the job.
        var deadline = DateTime.UtcNow + GiveUp;
        while (await Database.ScalarAsync($"SELECT (now() > '{claimedUntil:O}'::timestamptz + interval '2 seconds')::int") == 0 && DateTime.UtcNow < deadline)
        {
            Assert.Null(await new RetrievalHarness(Database, encoder, settings: settings).NewWorker().ProcessNextAsync());
            await Task.Delay(200);
        }
        var other = await new RetrievalHarness(Database, encoder, settings: settings).NewWorker().ProcessNextAsync();
        release.Release(int.MaxValue / 2);

        Assert.Null(other);
        Assert.Equal(id, await processing);
        var job = (await harness.Jobs.GetAsync(id))!;
        Assert.Equal((IngestionJobStatus.Completed, 1), (job.Status, job.Attempts));
        Assert.True(await LeaseUntilAsync(id) is null);
    }

    [Fact]
    public async Task Stopping_hands_the_job_back_while_a_step_ignores_cancellation()
    {
        using var release = new SemaphoreSlim(0);
        // Blocks its thread without looking at the token, as a long synchronous extraction does.
        var stuck = new HeldEmbeddingGenerator(encoder.Generator, release, blockThread: true);
        var harness = new RetrievalHarness(Database, encoder, stuck, settings: Settings());
        var id = await harness.Jobs.EnqueueAsync(Text("stuck.txt", "A step that does not notice shutdown."), "default");
        using var stopping = new CancellationTokenSource();

        var processing = harness.NewWorker().ProcessNextAsync(stopping.Token);
        await stuck.Started.Task.WaitAsync(GiveUp);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing.WaitAsync(GiveUp));
        var handedBack = (await harness.Jobs.GetAsync(id))!;
        Assert.False(stuck.Finished);
        release.Release(int.MaxValue / 2);

        Assert.Equal((IngestionJobStatus.Pending, null), (handedBack.Status, handedBack.NextAttemptAt));
        Assert.Equal(id, await new RetrievalHarness(Database, encoder, settings: Settings()).NewWorker().ProcessNextAsync());
        Assert.Equal(IngestionJobStatus.Completed, (await harness.Jobs.GetAsync(id))!.Status);
        Assert.Equal(1, await Database.ScalarAsync("SELECT count(*) FROM documents"));
    }

    private async Task<DateTimeOffset?> LeaseUntilAsync(Guid id)
    {
        await using var command = Database.DataSource.CreateCommand($"SELECT lease_until FROM ingestion_jobs WHERE id = '{id}'");
        return await command.ExecuteScalarAsync() is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }

    /// <summary>Embeds once released; until then waits, on its task or (<c>blockThread</c>) holding its thread.</summary>
    private sealed class HeldEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, SemaphoreSlim release, bool blockThread = false)
        : CountingEmbeddingGenerator(inner)
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Finished { get; private set; }

        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            if (blockThread)
            {
                release.Wait(CancellationToken.None);
            }
            else
            {
                await release.WaitAsync(CancellationToken.None);
            }
            var result = await base.GenerateAsync(values, options, cancellationToken);
            Finished = true;
            return result;
        }
    }

    /// <summary>
    /// A worker in a process of its own that the job kills: when it embeds, its database sessions are terminated and
    /// its connections closed for good (so no heartbeat, no outcome), and the worker itself never moves again.
    /// </summary>
    private sealed class CrashingProcess : IAsyncDisposable
    {
        private readonly RetrievalDatabase database;
        private readonly NpgsqlDataSource connections;
        private readonly KillingEmbeddingGenerator killer;
        private readonly IngestionWorker worker;
        private Task<Guid?>? running;

        public CrashingProcess(RetrievalDatabase database, ForgedEncoder encoder, RetrievalOptions settings, string name)
        {
            this.database = database;
            var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = name }.ConnectionString);
            builder.UseVector();
            connections = builder.Build();
            killer = new KillingEmbeddingGenerator(encoder.Generator, () => DieAsync(name));
            worker = new RetrievalHarness(database, encoder, killer, settings: settings, dataSource: connections).NewWorker();
        }

        public string Embedded => string.Join('\n', killer.Seen);

        /// <summary>Polls the queue until this worker has claimed a job and died of it.</summary>
        public async Task RunUntilKilledAsync()
        {
            var deadline = DateTime.UtcNow + GiveUp;
            while (!killer.Killed.Task.IsCompleted && DateTime.UtcNow < deadline)
            {
                running = worker.ProcessNextAsync();
                await Task.WhenAny(running, killer.Killed.Task);
                if (running.IsCompleted)
                {
                    Assert.Null(await running);
                    await Task.Delay(100);
                }
            }
            await killer.Killed.Task.WaitAsync(TimeSpan.Zero);
        }

        private async Task DieAsync(string name)
        {
            await connections.DisposeAsync();
            await using var kill = database.DataSource.CreateCommand(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{name}'");
            await kill.ExecuteScalarAsync();
        }

        public async ValueTask DisposeAsync()
        {
            killer.Hang.Cancel();
            if (running is not null)
            {
                // The dead worker wakes up to a world without its connections; what it then throws is of no interest.
                await Task.WhenAny(running, Task.Delay(GiveUp));
            }
            killer.Hang.Dispose();
            await connections.DisposeAsync();
        }
    }

    private sealed class KillingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, Func<Task> die) : CountingEmbeddingGenerator(inner)
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public TaskCompletionSource Killed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Hang { get; } = new();

        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            foreach (var value in values)
            {
                Seen.Enqueue(value);
            }
            await die();
            Killed.TrySetResult();
            await Task.Delay(Timeout.Infinite, Hang.Token);
            throw new InvalidOperationException("A dead worker does not embed.");
        }
    }
}
