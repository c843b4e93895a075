using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rag.Retrieval;

namespace Rag.Api.Observability;

/// <summary>
/// Metrics for Prometheus at <c>/metrics</c>, always. Traces and metrics also go to an OpenTelemetry collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the other standard OTEL_* variables: protocol, headers,
/// service name); without one no span is recorded at all.
/// </summary>
internal static class ApiTelemetry
{
    /// <summary>The LLM calls' spans and gen_ai.client.* metrics (OpenTelemetry GenAI conventions).</summary>
    public const string LlmSource = "Rag.Llm";

    /// <summary>The embedding calls' spans and gen_ai.client.* metrics.</summary>
    public const string EmbeddingSource = "Rag.Embedding";

    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "rag-service"))
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Rag.*")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint]))
        {
            // One trace per request: the HTTP span, retrieval's steps, the embedding and LLM calls, and Npgsql's commands.
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsScrapeOrProbe(http.Request.Path))
                    .AddSource(RetrievalTelemetry.SourceName, LlmSource, EmbeddingSource, "Npgsql"))
                .UseOtlpExporter();
        }
    }

    // Prometheus scrapes and health probes arrive every few seconds and say nothing about the service's work.
    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments("/metrics", StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal);
}
