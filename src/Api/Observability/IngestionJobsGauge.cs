using System.Diagnostics.Metrics;
using Npgsql;

namespace Rag.Api.Observability;

/// <summary>
/// <c>rag.ingestion.jobs</c> by state. The counts live in the shared jobs table (any instance may enqueue or
/// work), so they are read from it every few seconds rather than counted in this process.
/// </summary>
internal sealed class IngestionJobsGauge : BackgroundService
{
    private static readonly string[] States = ["pending", "processing", "completed", "failed"];
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<IngestionJobsGauge> logger;
    private volatile Dictionary<string, long> counts = [];

    public IngestionJobsGauge(NpgsqlDataSource dataSource, IMeterFactory meterFactory, ILogger<IngestionJobsGauge> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.dataSource = dataSource;
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
                counts = await ReadAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
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

    private async Task<Dictionary<string, long>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM ingestion_jobs GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }
        return result;
    }
}
