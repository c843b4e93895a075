using System.Diagnostics;

namespace Rag.Retrieval;

/// <summary>
/// Retrieval's spans, on the <see cref="SourceName"/> activity source: <c>retrieval.ingest</c> with a child per step
/// (<c>retrieval.extract</c>, <c>retrieval.chunk</c>, <c>retrieval.store</c>, the embedding calls happening inside the
/// store's COPY), and <c>retrieval.search</c>. Nothing is recorded unless a listener (an OpenTelemetry tracer provider)
/// subscribes to the source.
/// </summary>
public static class RetrievalTelemetry
{
    public const string SourceName = "Rag.Retrieval";

    internal static readonly ActivitySource Source = new(SourceName);
}
