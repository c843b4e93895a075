using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rag.Embedding;

namespace Rag.Embedding.Bench;

/// <summary>
/// Texts per ONNX Runtime run, from the "Rag.Embedding" meter, while <see cref="Counting"/> is set: shows whether
/// concurrent callers really shared runs.
/// </summary>
internal sealed class BatchSizes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<int, int> _counts = new();

    public BatchSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EmbeddingMetrics.MeterName && instrument.Name == "rag.embedding.batch_size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            if (Counting)
            {
                _counts.AddOrUpdate(size, 1, (_, n) => n + 1);
            }
        });
        _listener.Start();
    }

    public bool Counting { get; set; }

    /// <summary>Runs counted so far, by texts per run, and clears the counts.</summary>
    public SortedDictionary<int, int> Take()
    {
        var taken = new SortedDictionary<int, int>(_counts);
        _counts.Clear();
        return taken;
    }

    public void Dispose() => _listener.Dispose();
}
