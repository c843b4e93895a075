using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Loading;
using Rag.Llm.Onnx;

namespace Rag.Llm.Engine;

/// <summary>GroupQueryAttention layout: per layer one key and one value buffer [rows, kv_heads, capacity, head_dim],
/// allocated once and bound as both past and present; the op writes each row's new positions in place at that row's
/// <c>seqlens_k</c> (from its attention-mask ones). A sequence owns one row from admission to retirement, so the
/// budget buys whole rows; a freed row goes to the next sequence with nothing copied.</summary>
internal sealed class SharedKvCacheManager : KvCacheManager
{
    // [layer * 2 + key|value], each [rows, kv_heads, capacity, head_dim].
    private readonly OrtMemoryAllocation[] _buffers;
    private readonly KvSlot?[] _rows;
    private readonly int _capacity;
    private int _boundRows;

    public SharedKvCacheManager(DecoderLayout layout, KvMemory memory, int maxRows, long budgetBytes, int capacity)
        : base(layout, memory, maxRows, budgetBytes)
    {
        _capacity = capacity;
        RowBytes = capacity * PositionBytes;
        var rows = (int)Math.Min(maxRows, budgetBytes / RowBytes);
        if (rows < 1)
        {
            throw new ModelLoadException(
                $"Llm:KvCacheBytes ({budgetBytes} bytes) does not hold one sequence at the model's full context of {capacity} positions " +
                $"({RowBytes} bytes): raise it or narrow Llm:ContextLength.");
        }
        _rows = new KvSlot?[rows];
        _buffers = new OrtMemoryAllocation[layout.NumLayers * 2];
        try
        {
            for (var i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = memory.Allocate(rows * TensorRowBytes);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Bytes one row takes across all layers.</summary>
    public long RowBytes { get; }

    /// <summary>Rows the budget allocated.</summary>
    public override int MaxSequences => _rows.Length;

    private long TensorRowBytes => _capacity * Layout.BytesPerPosition;

    public override KvSlot? TryAdmit(int promptLength, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, _capacity);
        var row = Array.IndexOf(_rows, null);
        if (row < 0)
        {
            return null;
        }
        var slot = new KvSlot(capacity, RowBytes) { Row = row };
        _rows[row] = slot;
        ReservedBytes += RowBytes;
        return slot;
    }

    public override void Release(KvSlot slot)
    {
        if (slot.Released)
        {
            return;
        }
        slot.Released = true;
        _rows[slot.Row] = null;
        ReservedBytes -= RowBytes;
    }

    internal override void BindPrefill(OrtIoBinding binding, KvSlot slot, int newTokens)
    {
        if (slot.Length + newTokens > slot.Capacity)
        {
            throw new InvalidOperationException($"The slot holds {slot.Capacity} positions; {slot.Length} + {newTokens} do not fit.");
        }
        Bind(binding, slot.Row, 1);
    }

    internal override void AfterPrefill(KvSlot slot, int newTokens) => slot.Length += newTokens;

    internal override void CompletePrefill(KvSlot slot)
    {
    }

    internal override (int Rows, int MaskWidth) PlanDecode(IReadOnlyList<KvSlot> decoding, Span<DecodeRow> rows)
    {
        // The batch is rows 0..highest in use: a Run binds one contiguous block. A row that is free or still
        // prefilling rides along with one dummy token written at its next free position, which its own next
        // write overwrites.
        var count = 0;
        for (var r = 0; r < _rows.Length; r++)
        {
            if (_rows[r] is not null)
            {
                count = r + 1;
            }
        }
        var width = 1;
        for (var r = 0; r < count; r++)
        {
            var past = _rows[r]?.Length ?? 0;
            rows[r] = new DecodeRow { Source = -1, Past = past, PadLeft = 0 };
            width = Math.Max(width, past + 1);
        }
        for (var i = 0; i < decoding.Count; i++)
        {
            rows[decoding[i].Row].Source = i;
        }
        return (count, width);
    }

    internal override void BindDecode(OrtIoBinding binding, int rows)
    {
        // The same buffers stay bound while the batch keeps its size: nothing to rebind per token.
        if (rows != _boundRows)
        {
            Bind(binding, 0, rows);
            _boundRows = rows;
        }
    }

    internal override void AfterDecode(IReadOnlyList<KvSlot> decoding)
    {
        for (var i = 0; i < decoding.Count; i++)
        {
            decoding[i].Length++;
        }
    }

    private void Bind(OrtIoBinding binding, int firstRow, int rows)
    {
        long[] shape = [rows, Layout.NumKeyValueHeads, _capacity, Layout.HeadDim];
        var offset = firstRow * TensorRowBytes;
        var bytes = rows * TensorRowBytes;
        for (var layer = 0; layer < Layout.NumLayers; layer++)
        {
            var key = Memory.View(_buffers[layer * 2].DangerousGetHandle() + (nint)offset, shape, Layout.KvType, bytes);
            var value = Memory.View(_buffers[(layer * 2) + 1].DangerousGetHandle() + (nint)offset, shape, Layout.KvType, bytes);
            BindLayer(binding, Layout, layer, key, value, key, value);
        }
    }

    private protected override IntPtr Address(KvSlot slot, int tensor, int head, int position) =>
        _buffers[tensor].DangerousGetHandle() + (nint)((slot.Row * TensorRowBytes) + ((((long)head * _capacity) + position) * HeadBytes));

    public override void Dispose()
    {
        Prefixes?.Dispose();
        foreach (var buffer in _buffers)
        {
            buffer?.Dispose();
        }
    }
}
