using Microsoft.ML.OnnxRuntime;

namespace Rag.Llm.Onnx;

/// <summary>One sequence's keys and values for every layer, in native (CPU or device) memory allocated once.
/// Concat layout: two buffers of capacity per tensor; step t writes present into one while reading past from the
/// other, and the roles swap, so the graph's own concat is the only copy. Shared layout: one buffer per tensor,
/// bound as both past and present, written in place by GroupQueryAttention.</summary>
public sealed class KvCache : IDisposable
{
    private readonly DecoderLayout _layout;
    // Concat: [layer, key|value, ping|pong]; shared: [layer, key|value]. Each holds [1, kv_heads, capacity, head_dim].
    private readonly OrtMemoryAllocation[] _buffers;
    private readonly int _copies;
    private int _current;
    private bool _sharedBound;
    private bool _disposed;

    internal KvCache(DecoderLayout layout, OrtAllocator allocator, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _layout = layout;
        Capacity = capacity;
        _copies = layout.Kv == KvLayout.Concat ? 2 : 1;
        var bytes = checked((uint)(layout.BytesPerPosition * capacity));
        _buffers = new OrtMemoryAllocation[layout.NumLayers * 2 * _copies];
        try
        {
            for (var i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = allocator.Allocate(bytes);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        Bytes = (long)bytes * _buffers.Length;
    }

    /// <summary>Positions the cache can hold.</summary>
    public int Capacity { get; }

    /// <summary>Positions already filled: the next token's position.</summary>
    public int Position { get; private set; }

    /// <summary>Native bytes held (both ping-pong halves in the concat layout).</summary>
    public long Bytes { get; }

    /// <summary>Binds past (the first <see cref="Position"/> positions) and present (<paramref name="newTokens"/> more).</summary>
    internal void Bind(OrtIoBinding binding, int newTokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Position + newTokens > Capacity)
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
        long[] pastShape = [1, _layout.NumKeyValueHeads, Position, _layout.HeadDim];
        long[] presentShape = [1, _layout.NumKeyValueHeads, Position + newTokens, _layout.HeadDim];
        for (var layer = 0; layer < _layout.NumLayers; layer++)
        {
            binding.BindInput(_layout.PastKeyNames[layer], _layout.KvType, pastShape, Buffer(layer, 0, _current));
            binding.BindInput(_layout.PastValueNames[layer], _layout.KvType, pastShape, Buffer(layer, 1, _current));
            binding.BindOutput(_layout.PresentKeyNames[layer], _layout.KvType, presentShape, Buffer(layer, 0, 1 - _current));
            binding.BindOutput(_layout.PresentValueNames[layer], _layout.KvType, presentShape, Buffer(layer, 1, 1 - _current));
        }
    }

    /// <summary>Records that the last run wrote <paramref name="newTokens"/> positions; present becomes past.</summary>
    internal void Advance(int newTokens)
    {
        Position += newTokens;
        if (_copies == 2)
        {
            _current = 1 - _current;
        }
    }

    private void BindShared(OrtIoBinding binding)
    {
        long[] shape = [1, _layout.NumKeyValueHeads, Capacity, _layout.HeadDim];
        for (var layer = 0; layer < _layout.NumLayers; layer++)
        {
            binding.BindInput(_layout.PastKeyNames[layer], _layout.KvType, shape, Buffer(layer, 0, 0));
            binding.BindInput(_layout.PastValueNames[layer], _layout.KvType, shape, Buffer(layer, 1, 0));
            binding.BindOutput(_layout.PresentKeyNames[layer], _layout.KvType, shape, Buffer(layer, 0, 0));
            binding.BindOutput(_layout.PresentValueNames[layer], _layout.KvType, shape, Buffer(layer, 1, 0));
        }
    }

    private OrtMemoryAllocation Buffer(int layer, int keyOrValue, int copy) =>
        _buffers[((layer * 2) + keyOrValue) * _copies + copy];

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var buffer in _buffers)
        {
            buffer?.Dispose();
        }
    }
}
