using System.Diagnostics;

namespace Rag.Retrieval;

/// <summary>
/// Retrieval's spans, on the <see cref="SourceName"/> activity source: <c>retrieval.extract</c> (inside the ingest, or
/// before it when the caller reads a batch of uploads first), <c>retrieval.ingest</c> with <c>retrieval.chunk</c> and
/// <c>retrieval.store</c> (the embedding calls happen inside the store's COPY), <c>retrieval.search</c> and
/// <c>retrieval.rerank</c>. Nothing is recorded unless a listener (an OpenTelemetry tracer provider)
/// subscribes to the source.
/// </summary>
public static class RetrievalTelemetry
{
    public const string SourceName = "Rag.Retrieval";

    internal static readonly ActivitySource Source = new(SourceName);
}
