using System.Diagnostics.Metrics;

namespace Rag.Embedding;

/// <summary>
/// The "Rag.Embedding" meter: ONNX Runtime runs, the texts and tokens they embedded, the padding they computed, and
/// texts per run. Runs against texts shows whether concurrent callers are merged; every measurement is tagged with
/// <c>rag.embedding.model</c> (the model id).
/// </summary>
public sealed class EmbeddingMetrics : IDisposable
{
    public const string MeterName = "Rag.Embedding";

    public const string ModelTag = "rag.embedding.model";

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _texts;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _paddedTokens;
    private readonly Histogram<int> _batchSize;

    public EmbeddingMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _runs = _meter.CreateCounter<long>("rag.embedding.runs", "{run}", "ONNX Runtime runs of the encoder");
        _texts = _meter.CreateCounter<long>("rag.embedding.texts", "{text}", "Texts embedded");
        _tokens = _meter.CreateCounter<long>("rag.embedding.tokens", "{token}", "Tokens of the embedded texts, special tokens included");
        _paddedTokens = _meter.CreateCounter<long>("rag.embedding.padded_tokens", "{token}", "Tokens computed, padding included (texts × longest text per run)");
        _batchSize = _meter.CreateHistogram<int>("rag.embedding.batch_size", "{text}", "Texts per run");
    }

    /// <summary>For models loaded without one: process-wide, never disposed.</summary>
    internal static EmbeddingMetrics Default { get; } = new();

    internal void RunCompleted(string modelId, int texts, int tokens, int sequenceLength)
    {
        var model = new KeyValuePair<string, object?>(ModelTag, modelId);
        _runs.Add(1, model);
        _texts.Add(texts, model);
        _tokens.Add(tokens, model);
        _paddedTokens.Add((long)texts * sequenceLength, model);
        _batchSize.Record(texts, model);
    }

    public void Dispose() => _meter.Dispose();
}
