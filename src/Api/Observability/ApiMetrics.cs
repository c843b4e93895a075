using System.Diagnostics.Metrics;
using Rag.Llm.Serving;

namespace Rag.Api.Observability;

/// <summary>
/// What a user of the service watches on <c>/metrics</c> beside ASP.NET Core's request counts and latency:
/// time to first token and decode speed as the client sees them, the generation queue, and how generations ended.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "Rag.Api";

    private readonly Histogram<double> timeToFirstToken;
    private readonly Histogram<double> decodeRate;
    private readonly Counter<long> generations;

    public ApiMetrics(IMeterFactory meterFactory, LlmModel? llm = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        timeToFirstToken = meter.CreateHistogram<double>("rag.generation.time_to_first_token", "s",
            "From the request's arrival to the first generated text sent to the client.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        decodeRate = meter.CreateHistogram<double>("rag.generation.decode_rate", "{token}/s",
            "Generated tokens per second after the first token.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });
        // A remote LLM (Llm:Endpoint) queues on its own server.
        if (llm is not null)
        {
            meter.CreateObservableGauge("rag.generation.queue_depth", () => llm.Engine.Waiting, "{request}",
                "Generations waiting for a slot; when full (Llm:MaxQueuedRequests) requests get 429.");
        }
        generations = meter.CreateCounter<long>("rag.generations", "{generation}", "Generations by endpoint and outcome (completed, cancelled, failed).");
    }

    public void RecordFirstToken(string endpoint, TimeSpan sinceRequestStart) =>
        timeToFirstToken.Record(sinceRequestStart.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void RecordDecodeRate(string endpoint, double tokensPerSecond) =>
        decodeRate.Record(tokensPerSecond, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void RecordGeneration(string endpoint, GenerationOutcome outcome) =>
        generations.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
}

public enum GenerationOutcome
{
    Completed,
    Cancelled,
    Failed,
}
