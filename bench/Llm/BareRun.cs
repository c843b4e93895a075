using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Onnx;

namespace Rag.Llm.Bench;

/// <summary>One model Run with nothing around it: <c>tokens</c> new positions after a fixed past (a decode step with
/// one token, a prefill with no past), through a binding whose tensors are made once and run back to back. What ONNX
/// Runtime alone costs for these shapes.</summary>
internal sealed class BareRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _owned = [];

    public BareRun(DecoderSession session, int past, int tokens = 1)
    {
        var layout = session.Layout;
        if (layout.KvType != TensorElementType.Float || layout.IdType != TensorElementType.Int64)
        {
            throw new NotSupportedException("The bare-run baseline is written for int64 ids and float32 caches.");
        }
        _session = session.Session;
        _binding = _session.CreateIoBinding();
        var total = past + tokens;
        _binding.BindInput(DecoderLayout.InputIds, Tensor(Enumerable.Range(1, tokens).Select(i => (long)i).ToArray(), 1, tokens));
        if (layout.HasAttentionMask)
        {
            _binding.BindInput(DecoderLayout.AttentionMask, Tensor(Enumerable.Repeat(1L, total).ToArray(), 1, total));
        }
        if (layout.HasPositionIds)
        {
            _binding.BindInput(DecoderLayout.PositionIds, Tensor(Enumerable.Range(past, tokens).Select(i => (long)i).ToArray(), 1, tokens));
        }
        var shared = layout.Kv == KvLayout.Shared;
        var heads = layout.NumKeyValueHeads;
        var capacity = shared ? total : past;
        for (var l = 0; l < layout.NumLayers; l++)
        {
            var key = Tensor(new float[capacity * heads * layout.HeadDim], 1, heads, capacity, layout.HeadDim);
            var value = Tensor(new float[capacity * heads * layout.HeadDim], 1, heads, capacity, layout.HeadDim);
            _binding.BindInput(layout.PastKeyNames[l], key);
            _binding.BindInput(layout.PastValueNames[l], value);
            _binding.BindOutput(layout.PresentKeyNames[l],
                shared ? key : Tensor(new float[total * heads * layout.HeadDim], 1, heads, total, layout.HeadDim));
            _binding.BindOutput(layout.PresentValueNames[l],
                shared ? value : Tensor(new float[total * heads * layout.HeadDim], 1, heads, total, layout.HeadDim));
        }
        // The graph's logits cover every new position: ONNX Runtime allocates them, as ModelExecutor's prefill lets it.
        _binding.BindOutputToDevice(DecoderLayout.Logits, OrtMemoryInfo.DefaultInstance);
        _session.RunWithBinding(_runOptions, _binding);
    }

    /// <summary>Times of <paramref name="steps"/> back-to-back runs.</summary>
    public IEnumerable<double> Milliseconds(int steps)
    {
        var times = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _session.RunWithBinding(_runOptions, _binding);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    private OrtValue Tensor<T>(T[] data, params long[] shape) where T : unmanaged
    {
        var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        _owned.Add(value);
        return value;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        _owned.ForEach(v => v.Dispose());
    }
}
