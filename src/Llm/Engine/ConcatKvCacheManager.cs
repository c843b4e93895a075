using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Onnx;

namespace Rag.Llm.Engine;

/// <summary>Optimum layout: <c>present = concat(past, new)</c>, so each decode step writes the whole batch anew.
/// The decode batch is [rows, kv_heads, past, head_dim] with every row's positions right-aligned (left padding,
/// masked and zeroed) in one of two buffers per tensor; a step reads one and writes the other, and the roles swap.
/// A prefilling sequence runs alone (batch 1) in its own staging pair, then joins; joining or leaving rewrites the
/// batch once into the idle buffer, compacted and trimmed to the longest row, which costs no more than a step's own
/// concat. Admission reserves capacity × both buffers for each sequence.</summary>
internal sealed class ConcatKvCacheManager : KvCacheManager
{
    private readonly List<KvSlot> _batch = [];
    // [copy][layer * 2 + key|value]; each holds _heldPositions[copy] row-positions.
    private readonly OrtMemoryAllocation?[][] _buffers;
    private readonly long[] _heldPositions = new long[2];
    private int _current;
    private int _past;
    private int _staged;

    public ConcatKvCacheManager(DecoderLayout layout, KvMemory memory, int maxRows, long budgetBytes)
        : base(layout, memory, maxRows, budgetBytes)
    {
        _buffers = [new OrtMemoryAllocation?[layout.NumLayers * 2], new OrtMemoryAllocation?[layout.NumLayers * 2]];
    }

    public override KvSlot? TryAdmit(int promptLength, int capacity)
    {
        var need = capacity * PositionBytes * 2;
        if (_batch.Count + _staged >= MaxRows || ReservedBytes + need > BudgetBytes)
        {
            return null;
        }
        var staging = new OrtMemoryAllocation[2][];
        for (var copy = 0; copy < 2; copy++)
        {
            staging[copy] = new OrtMemoryAllocation[Layout.NumLayers * 2];
            for (var i = 0; i < staging[copy].Length; i++)
            {
                staging[copy][i] = Memory.Allocate(promptLength * Layout.BytesPerPosition);
            }
        }
        ReservedBytes += need;
        _staged++;
        return new KvSlot(capacity, need) { Staging = staging };
    }

    public override void Release(KvSlot slot)
    {
        if (slot.Released)
        {
            return;
        }
        slot.Released = true;
        ReservedBytes -= slot.ReservedBytes;
        if (slot.Staging is not null)
        {
            FreeStaging(slot);
            return;
        }
        _batch.RemoveAt(slot.Row);
        slot.Row = -1;
        Rebuild(null);
    }

    internal override void BindPrefill(OrtIoBinding binding, KvSlot slot, int newTokens)
    {
        var staging = slot.Staging ?? throw new InvalidOperationException("The sequence has already joined the decode batch.");
        var past = slot.Length;
        long[] pastShape = [1, Layout.NumKeyValueHeads, past, Layout.HeadDim];
        long[] presentShape = [1, Layout.NumKeyValueHeads, past + newTokens, Layout.HeadDim];
        var from = staging[slot.StagingCurrent];
        var to = staging[1 - slot.StagingCurrent];
        for (var layer = 0; layer < Layout.NumLayers; layer++)
        {
            BindLayer(binding, Layout, layer, View(from[layer * 2], pastShape), View(from[(layer * 2) + 1], pastShape),
                View(to[layer * 2], presentShape), View(to[(layer * 2) + 1], presentShape));
        }
    }

    internal override void AfterPrefill(KvSlot slot, int newTokens)
    {
        slot.Length += newTokens;
        slot.StagingCurrent = 1 - slot.StagingCurrent;
    }

    internal override void CompletePrefill(KvSlot slot) => Rebuild(slot);

    internal override (int Rows, int MaskWidth) PlanDecode(IReadOnlyList<KvSlot> decoding, Span<DecodeRow> rows)
    {
        if (decoding.Count != _batch.Count)
        {
            throw new InvalidOperationException("Every row of the concat batch decodes in every step.");
        }
        for (var i = 0; i < _batch.Count; i++)
        {
            rows[i] = new DecodeRow { Source = -1, Past = _batch[i].Length, PadLeft = _past - _batch[i].Length };
        }
        for (var i = 0; i < decoding.Count; i++)
        {
            rows[decoding[i].Row].Source = i;
        }
        return (_batch.Count, _past + 1);
    }

    internal override void BindDecode(OrtIoBinding binding, int rows)
    {
        var target = 1 - _current;
        Ensure(target, (long)rows * (_past + 1));
        long[] pastShape = [rows, Layout.NumKeyValueHeads, _past, Layout.HeadDim];
        long[] presentShape = [rows, Layout.NumKeyValueHeads, _past + 1, Layout.HeadDim];
        var from = _buffers[_current];
        var to = _buffers[target];
        for (var layer = 0; layer < Layout.NumLayers; layer++)
        {
            BindLayer(binding, Layout, layer, View(from[layer * 2]!, pastShape), View(from[(layer * 2) + 1]!, pastShape),
                View(to[layer * 2]!, presentShape), View(to[(layer * 2) + 1]!, presentShape));
        }
    }

    internal override void AfterDecode(IReadOnlyList<KvSlot> decoding)
    {
        for (var i = 0; i < decoding.Count; i++)
        {
            decoding[i].Length++;
        }
        _past++;
        _current = 1 - _current;
    }

    /// <summary>Rewrites the batch into the idle buffer: rows compacted in order, <paramref name="joining"/> (from its
    /// staging) appended, every row right-aligned to the longest.</summary>
    private void Rebuild(KvSlot? joining)
    {
        var oldPast = _past;
        var past = joining?.Length ?? 0;
        foreach (var slot in _batch)
        {
            past = Math.Max(past, slot.Length);
        }
        var rows = _batch.Count + (joining is null ? 0 : 1);
        if (rows == 0)
        {
            _past = 0;
            return;
        }
        var target = 1 - _current;
        Ensure(target, (long)rows * past);
        var heads = Layout.NumKeyValueHeads;
        for (var t = 0; t < _buffers[target].Length; t++)
        {
            var to = _buffers[target][t]!.DangerousGetHandle();
            for (var row = 0; row < rows; row++)
            {
                var slot = row < _batch.Count ? _batch[row] : joining!;
                // Where this row's positions start in its source, and the source's positions per head.
                var (from, stride, skip) = slot.Staging is { } staging
                    ? (staging[slot.StagingCurrent][t].DangerousGetHandle(), slot.Length, 0)
                    : (_buffers[_current][t]!.DangerousGetHandle() + (nint)(slot.Row * heads * oldPast * HeadBytes), oldPast, oldPast - slot.Length);
                var rowStart = to + (nint)((long)row * heads * past * HeadBytes);
                var pad = past - slot.Length;
                for (var h = 0; h < heads; h++)
                {
                    var block = rowStart + (nint)(h * past * HeadBytes);
                    Memory.Clear(block, pad * HeadBytes);
                    Memory.Copy(from + (nint)(((long)h * stride + skip) * HeadBytes), block + (nint)(pad * HeadBytes), slot.Length * HeadBytes);
                }
            }
        }
        if (joining is not null)
        {
            FreeStaging(joining);
            _batch.Add(joining);
        }
        for (var row = 0; row < _batch.Count; row++)
        {
            _batch[row].Row = row;
        }
        _past = past;
        _current = target;
    }

    /// <summary>Makes one copy hold <paramref name="positions"/> row-positions; what it held is not kept (it is about
    /// to be written whole).</summary>
    private void Ensure(int copy, long positions)
    {
        if (_heldPositions[copy] >= positions && _buffers[copy][0] is not null)
        {
            return;
        }
        var size = Math.Max(positions, _heldPositions[copy] * 2);
        var buffers = _buffers[copy];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i]?.Dispose();
            buffers[i] = null;
            buffers[i] = Memory.Allocate(size * Layout.BytesPerPosition);
        }
        _heldPositions[copy] = size;
    }

    private OrtValue View(OrtMemoryAllocation buffer, long[] shape) =>
        Memory.View(buffer.DangerousGetHandle(), shape, Layout.KvType, (long)buffer.Size);

    private void FreeStaging(KvSlot slot)
    {
        foreach (var copy in slot.Staging!)
        {
            foreach (var buffer in copy)
            {
                buffer.Dispose();
            }
        }
        slot.Staging = null;
        _staged--;
    }

    /// <summary>The staging buffer that holds the slot's past: [1, kv_heads, Length, head_dim].</summary>
    private protected override IntPtr Address(KvSlot slot, int tensor, int head, int position) =>
        slot.Staging![slot.StagingCurrent][tensor].DangerousGetHandle() + (nint)((((long)head * slot.Length) + position) * HeadBytes);

    public override void Dispose()
    {
        Prefixes?.Dispose();
        foreach (var copy in _buffers)
        {
            foreach (var buffer in copy)
            {
                buffer?.Dispose();
            }
        }
        foreach (var slot in _batch)
        {
            slot.Released = true;
        }
        _batch.Clear();
    }
}
