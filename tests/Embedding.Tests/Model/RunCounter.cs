using System.Diagnostics.Metrics;

namespace Rag.Embedding.Tests.Model;

/// <summary>Sums the "Rag.Embedding" counters of one model id while it lives, and the largest batch it saw.</summary>
internal sealed class RunCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _modelId;
    private long _runs;
    private long _texts;
    private long _tokens;
    private long _paddedTokens;
    private int _largestBatch;

    public RunCounter(string modelId)
    {
        _modelId = modelId;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EmbeddingMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnCounter);
        _listener.SetMeasurementEventCallback<int>(OnBatchSize);
        _listener.Start();
    }

    public long Runs => Interlocked.Read(ref _runs);

    public long Texts => Interlocked.Read(ref _texts);

    public long Tokens => Interlocked.Read(ref _tokens);

    public long PaddedTokens => Interlocked.Read(ref _paddedTokens);

    public int LargestBatch => Volatile.Read(ref _largestBatch);

    private bool Mine(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == EmbeddingMetrics.ModelTag)
            {
                return (string?)tag.Value == _modelId;
            }
        }
        return false;
    }

    private void OnCounter(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!Mine(tags))
        {
            return;
        }
        switch (instrument.Name)
        {
            case "rag.embedding.runs": Interlocked.Add(ref _runs, value); break;
            case "rag.embedding.texts": Interlocked.Add(ref _texts, value); break;
            case "rag.embedding.tokens": Interlocked.Add(ref _tokens, value); break;
            case "rag.embedding.padded_tokens": Interlocked.Add(ref _paddedTokens, value); break;
        }
    }

    private void OnBatchSize(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == "rag.embedding.batch_size" && Mine(tags))
        {
            lock (_listener)
            {
                _largestBatch = Math.Max(_largestBatch, value);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
