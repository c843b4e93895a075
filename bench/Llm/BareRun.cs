using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Onnx;

namespace Rag.Llm.Bench;

/// <summary>The engine's single-token step with nothing around it: a binding whose tensors are made once for a
/// fixed past length, run back to back. What ONNX Runtime alone costs for these shapes.</summary>
internal sealed class BareDecodeStep : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _owned = [];

    public BareDecodeStep(DecoderSession session, int past)
    {
        var layout = session.Layout;
        if (layout.KvType != TensorElementType.Float || layout.IdType != TensorElementType.Int64)
        {
            throw new NotSupportedException("The bare-run baseline is written for int64 ids and float32 caches.");
        }
        _session = session.Session;
        _binding = _session.CreateIoBinding();
        _binding.BindInput(DecoderLayout.InputIds, Tensor(new long[] { 1 }, 1, 1));
        if (layout.HasAttentionMask)
        {
            _binding.BindInput(DecoderLayout.AttentionMask, Tensor(Enumerable.Repeat(1L, past + 1).ToArray(), 1, past + 1));
        }
        if (layout.HasPositionIds)
        {
            _binding.BindInput(DecoderLayout.PositionIds, Tensor(new long[] { past }, 1, 1));
        }
        var shared = layout.Kv == KvLayout.Shared;
        var heads = layout.NumKeyValueHeads;
        var capacity = shared ? past + 1 : past;
        for (var l = 0; l < layout.NumLayers; l++)
        {
            var key = Tensor(new float[capacity * heads * layout.HeadDim], 1, heads, capacity, layout.HeadDim);
            var value = Tensor(new float[capacity * heads * layout.HeadDim], 1, heads, capacity, layout.HeadDim);
            _binding.BindInput(layout.PastKeyNames[l], key);
            _binding.BindInput(layout.PastValueNames[l], value);
            _binding.BindOutput(layout.PresentKeyNames[l],
                shared ? key : Tensor(new float[(past + 1) * heads * layout.HeadDim], 1, heads, past + 1, layout.HeadDim));
            _binding.BindOutput(layout.PresentValueNames[l],
                shared ? value : Tensor(new float[(past + 1) * heads * layout.HeadDim], 1, heads, past + 1, layout.HeadDim));
        }
        _binding.BindOutput(DecoderLayout.Logits, Tensor(new float[session.VocabSize], 1, 1, session.VocabSize));
        _session.RunWithBinding(_runOptions, _binding);
    }

    /// <summary>Times of <paramref name="steps"/> back-to-back runs.</summary>
    public IEnumerable<double> StepMilliseconds(int steps)
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
