using Microsoft.ML.OnnxRuntime;

namespace Rag.Llm.Onnx;

/// <summary>One sequence's keys and values for every layer, in native (CPU or device) memory.
/// Concat layout: two buffers per tensor; step t reads past from one and writes present into the other, and the
/// roles swap, so the graph's own concat is the only copy. Because present is written fresh each step, a buffer
/// that is about to receive present can be replaced by a larger one at no cost: the cache starts small and grows
/// by doubling up to its capacity. Shared layout: one buffer per tensor at full capacity, allocated once, bound as
/// both past and present and written in place by GroupQueryAttention.</summary>
public sealed class KvCache : IDisposable
{
    private readonly DecoderLayout _layout;
    private readonly OrtAllocator _allocator;
    // Concat: [copy][layer * 2 + key|value]; shared: one copy. Each holds [1, kv_heads, positions, head_dim].
    private readonly OrtMemoryAllocation?[][] _buffers;
    private readonly int[] _positions;
    private int _current;
    private bool _sharedBound;
    private bool _disposed;

    internal KvCache(DecoderLayout layout, OrtAllocator allocator, int capacity, int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _layout = layout;
        _allocator = allocator;
        Capacity = capacity;
        var copies = layout.Kv == KvLayout.Concat ? 2 : 1;
        _buffers = new OrtMemoryAllocation?[copies][];
        _positions = new int[copies];
        var initial = layout.Kv == KvLayout.Shared ? capacity : Math.Clamp(initialCapacity, 1, capacity);
        try
        {
            for (var copy = 0; copy < copies; copy++)
            {
                _buffers[copy] = new OrtMemoryAllocation?[layout.NumLayers * 2];
                Allocate(copy, initial);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Positions the cache may grow to.</summary>
    public int Capacity { get; }

    /// <summary>Positions already filled: the next token's position.</summary>
    public int Position { get; private set; }

    /// <summary>Native bytes held now (both ping-pong halves in the concat layout).</summary>
    public long Bytes { get; private set; }

    /// <summary>Binds past (the first <see cref="Position"/> positions) and present (<paramref name="newTokens"/> more).</summary>
    internal void Bind(OrtIoBinding binding, int newTokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = Position + newTokens;
        if (total > Capacity)
        {
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Position} + {newTokens} do not fit.");
        }
        if (_layout.Kv == KvLayout.Shared)
        {
            if (!_sharedBound)
            {
                BindShared(binding);
                _sharedBound = true;
            }
            return;
        }
        var target = 1 - _current;
        if (_positions[target] < total)
        {
            Allocate(target, Math.Min(Capacity, Math.Max(total, _positions[target] * 2)));
        }
        long[] pastShape = [1, _layout.NumKeyValueHeads, Position, _layout.HeadDim];
        long[] presentShape = [1, _layout.NumKeyValueHeads, total, _layout.HeadDim];
        var past = _buffers[_current];
        var present = _buffers[target];
        for (var layer = 0; layer < _layout.NumLayers; layer++)
        {
            binding.BindInput(_layout.PastKeyNames[layer], _layout.KvType, pastShape, past[layer * 2]!);
            binding.BindInput(_layout.PastValueNames[layer], _layout.KvType, pastShape, past[(layer * 2) + 1]!);
            binding.BindOutput(_layout.PresentKeyNames[layer], _layout.KvType, presentShape, present[layer * 2]!);
            binding.BindOutput(_layout.PresentValueNames[layer], _layout.KvType, presentShape, present[(layer * 2) + 1]!);
        }
    }

    /// <summary>Records that the last run wrote <paramref name="newTokens"/> positions; present becomes past.</summary>
    internal void Advance(int newTokens)
    {
        Position += newTokens;
        if (_layout.Kv == KvLayout.Concat)
        {
            _current = 1 - _current;
        }
    }

    /// <summary>(Re)allocates one copy's buffers for <paramref name="positions"/> positions; what they held is
    /// not needed (the next run writes them whole).</summary>
    private void Allocate(int copy, int positions)
    {
        var bytes = checked((uint)(_layout.BytesPerPosition * positions));
        var buffers = _buffers[copy];
        for (var i = 0; i < buffers.Length; i++)
        {
            if (buffers[i] is { } old)
            {
                Bytes -= old.Size;
                old.Dispose();
                buffers[i] = null;
            }
            buffers[i] = _allocator.Allocate(bytes);
            Bytes += bytes;
        }
        _positions[copy] = positions;
    }

    private void BindShared(OrtIoBinding binding)
    {
        long[] shape = [1, _layout.NumKeyValueHeads, Capacity, _layout.HeadDim];
        var buffers = _buffers[0];
        for (var layer = 0; layer < _layout.NumLayers; layer++)
        {
            binding.BindInput(_layout.PastKeyNames[layer], _layout.KvType, shape, buffers[layer * 2]!);
            binding.BindInput(_layout.PastValueNames[layer], _layout.KvType, shape, buffers[(layer * 2) + 1]!);
            binding.BindOutput(_layout.PresentKeyNames[layer], _layout.KvType, shape, buffers[layer * 2]!);
            binding.BindOutput(_layout.PresentValueNames[layer], _layout.KvType, shape, buffers[(layer * 2) + 1]!);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var copy in _buffers)
        {
            foreach (var buffer in copy ?? [])
            {
                buffer?.Dispose();
            }
        }
        Bytes = 0;
    }
}
