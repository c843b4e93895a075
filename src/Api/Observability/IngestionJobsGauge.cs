using System.Diagnostics.Metrics;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Storage;

namespace Rag.Api.Observability;

/// <summary>
/// <c>rag.ingestion.jobs</c> by state. The counts live in the shared jobs table (any instance may enqueue or
/// work), so they are read from it every few seconds rather than counted in this process.
/// </summary>
internal sealed class IngestionJobsGauge : BackgroundService
{
    private static readonly string[] States = ["pending", "processing", "completed", "failed"];
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly IngestionJobs jobs;
    private readonly ILogger<IngestionJobsGauge> logger;
    private volatile IReadOnlyDictionary<string, long> counts = new Dictionary<string, long>();

    public IngestionJobsGauge(IngestionJobs jobs, IMeterFactory meterFactory, ILogger<IngestionJobsGauge> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.jobs = jobs;
        this.logger = logger;
        meterFactory.Create(ApiMetrics.MeterName).CreateObservableGauge("rag.ingestion.jobs", Observe, "{job}", "Ingestion jobs by state.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                counts = await jobs.CountByStatusAsync(stoppingToken);
            }
            catch (Exception ex) when (DatabaseOutage.Caused(ex))
            {
                logger.LogWarning("Could not count ingestion jobs: {Message}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var current = counts;
        return States.Select(state => new Measurement<long>(current.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state)));
    }
}
