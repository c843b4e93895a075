using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Llm.Onnx;

/// <summary>One request's run state: its KV cache, its own IO binding and run options, and the pinned id, mask and
/// position buffers that the bound input tensors view. Disposing it frees the cache.</summary>
public sealed class DecodeState : IDisposable
{
    private static readonly long[] BranchShape = [1];
    private readonly DecoderLayout _layout;
    // Pinned, so tensors viewing them stay valid while bound. Int64 or Int32 as the graph declares.
    private readonly Array _ids;
    private readonly Array _ones;
    private readonly Array _positions;
    // Single-token steps write into these and rebind the same tensors: no new tensor for ids or position per token.
    private readonly Array _stepId;
    private readonly Array _stepPosition;
    private readonly OrtValue _stepIdValue;
    private readonly OrtValue _stepPositionValue;
    private readonly OrtValue _useCache;
    private readonly OrtValue _noCache;
    private readonly List<OrtValue> _stepViews = new(4);
    private bool _disposed;

    internal DecodeState(DecoderLayout layout, KvCache cache, InferenceSession session, OrtValue decodeLogits)
    {
        _layout = layout;
        Cache = cache;
        var capacity = cache.Capacity;
        _ids = Allocate(capacity);
        _ones = Allocate(capacity);
        _positions = Allocate(capacity);
        for (var i = 0; i < capacity; i++)
        {
            Write(_ones, i, 1);
            Write(_positions, i, i);
        }
        _stepId = Allocate(1);
        _stepPosition = Allocate(1);
        _stepIdValue = View(_stepId, 0, 1);
        _stepPositionValue = View(_stepPosition, 0, 1);
        _useCache = OrtValue.CreateTensorValueFromMemory(GC.AllocateArray<bool>(1, pinned: true), BranchShape);
        _useCache.GetTensorMutableDataAsSpan<bool>()[0] = true;
        _noCache = OrtValue.CreateTensorValueFromMemory(GC.AllocateArray<bool>(1, pinned: true), BranchShape);
        DecodeLogits = decodeLogits;
        Binding = session.CreateIoBinding();
    }

    public KvCache Cache { get; }

    internal OrtIoBinding Binding { get; }

    internal RunOptions RunOptions { get; } = new();

    /// <summary>[1, 1, vocab] logits tensor bound for single-token steps, in the graph's logits type.</summary>
    internal OrtValue DecodeLogits { get; }

    internal bool DecodeLogitsBound { get; set; }

    /// <summary>Time spent inside ONNX Runtime's Run for this request's single-token steps: what the engine adds
    /// around them is the step time minus this.</summary>
    public TimeSpan DecodeRunTime { get; internal set; }

    /// <summary>Binds input_ids, attention_mask, position_ids and use_cache_branch for <paramref name="tokens"/>
    /// following the cached positions.</summary>
    internal void BindInputs(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DisposeStepViews();
        var past = Cache.Position;
        var n = tokens.Length;
        OrtValue ids, positions;
        if (n == 1)
        {
            Write(_stepId, 0, tokens[0]);
            Write(_stepPosition, 0, past);
            (ids, positions) = (_stepIdValue, _stepPositionValue);
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                Write(_ids, i, tokens[i]);
            }
            (ids, positions) = (StepView(_ids, 0, n), StepView(_positions, past, n));
        }
        // Rebound every step: a device session copies CPU inputs when they are bound, not when it runs.
        Binding.BindInput(DecoderLayout.InputIds, ids);
        if (_layout.HasAttentionMask)
        {
            Binding.BindInput(DecoderLayout.AttentionMask, StepView(_ones, 0, past + n));
        }
        if (_layout.HasPositionIds)
        {
            Binding.BindInput(DecoderLayout.PositionIds, positions);
        }
        if (_layout.HasUseCacheBranch)
        {
            Binding.BindInput(DecoderLayout.UseCacheBranch, past > 0 ? _useCache : _noCache);
        }
    }

    private OrtValue StepView(Array buffer, int offset, int length)
    {
        var view = View(buffer, offset, length);
        _stepViews.Add(view);
        return view;
    }

    /// <summary>A [1, length] tensor over part of a pinned id buffer.</summary>
    private OrtValue View(Array buffer, int offset, int length)
    {
        long[] shape = [1, length];
        return _layout.IdType == TensorElementType.Int64
            ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ((long[])buffer).AsMemory(offset, length), shape)
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ((int[])buffer).AsMemory(offset, length), shape);
    }

    private Array Allocate(int length) => _layout.IdType == TensorElementType.Int64
        ? GC.AllocateArray<long>(length, pinned: true)
        : GC.AllocateArray<int>(length, pinned: true);

    private static void Write(Array buffer, int index, int value)
    {
        if (buffer is long[] wide)
        {
            wide[index] = value;
        }
        else
        {
            ((int[])buffer)[index] = value;
        }
    }

    private void DisposeStepViews()
    {
        foreach (var view in _stepViews)
        {
            view.Dispose();
        }
        _stepViews.Clear();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Binding.Dispose();
        DisposeStepViews();
        _stepIdValue.Dispose();
        _stepPositionValue.Dispose();
        _useCache.Dispose();
        _noCache.Dispose();
        DecodeLogits.Dispose();
        RunOptions.Dispose();
        Cache.Dispose();
    }
}
