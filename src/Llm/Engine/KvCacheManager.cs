using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Onnx;

namespace Rag.Llm.Engine;

/// <summary>Decides where every sequence's keys and values live and binds them for a step; the scheduler only asks
/// whether a sequence fits. One subclass per KV layout: <see cref="SharedKvCacheManager"/> (GroupQueryAttention,
/// one fixed row per sequence) and <see cref="ConcatKvCacheManager"/> (Optimum, a padded batch rebuilt when rows
/// join or leave). Used by the engine's thread alone.</summary>
public abstract class KvCacheManager : IDisposable
{
    private protected KvCacheManager(DecoderLayout layout, KvMemory memory, int maxRows, long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 1);
        Layout = layout;
        Memory = memory;
        MaxRows = maxRows;
        BudgetBytes = budgetBytes;
    }

    public DecoderLayout Layout { get; }

    internal KvMemory Memory { get; }

    /// <summary>Sequences that may hold KV at once (the decode batch at most).</summary>
    public int MaxRows { get; }

    /// <summary>Sequences that can hold KV at once now that the budget has been applied.</summary>
    public virtual int MaxSequences => MaxRows;

    /// <summary>Llm:KvCacheBytes: what admission may reserve.</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes reserved by the sequences admitted now.</summary>
    public long ReservedBytes { get; private protected set; }

    /// <summary>Bytes one position takes across every layer's key and value.</summary>
    public long PositionBytes => Layout.NumLayers * 2L * Layout.BytesPerPosition;

    private protected long HeadBytes => (long)Layout.HeadDim * Layout.KvElementSize;

    /// <summary>A slot for a sequence of <paramref name="promptLength"/> prompt tokens that may grow to
    /// <paramref name="capacity"/> positions, or null while the budget (or the row count) does not hold it.</summary>
    public abstract KvSlot? TryAdmit(int promptLength, int capacity);

    /// <summary>Frees the slot's KV space at once; its row may be given to the next sequence.</summary>
    public abstract void Release(KvSlot slot);

    /// <summary>Binds past and present for <paramref name="newTokens"/> prompt tokens of one sequence (batch 1).</summary>
    internal abstract void BindPrefill(OrtIoBinding binding, KvSlot slot, int newTokens);

    internal abstract void AfterPrefill(KvSlot slot, int newTokens);

    /// <summary>The whole prompt is in: the sequence becomes one of the decode batch's rows.</summary>
    internal abstract void CompletePrefill(KvSlot slot);

    /// <summary>Lays out the decode batch for <paramref name="decoding"/>: fills <paramref name="rows"/> and returns
    /// their count and the attention mask's width.</summary>
    internal abstract (int Rows, int MaskWidth) PlanDecode(IReadOnlyList<KvSlot> decoding, Span<DecodeRow> rows);

    internal abstract void BindDecode(OrtIoBinding binding, int rows);

    internal abstract void AfterDecode(IReadOnlyList<KvSlot> decoding);

    /// <summary>Recurring prompt prefixes, when enabled (Llm:PrefixCacheBytes above zero).</summary>
    internal PrefixCache? Prefixes { get; private set; }

    /// <summary>Bytes the prefix cache holds now.</summary>
    public long PrefixBytes => Prefixes?.Bytes ?? 0;

    internal void EnablePrefixCache(int blockTokens, long budgetBytes)
    {
        Prefixes?.Dispose();
        Prefixes = budgetBytes > 0 ? new PrefixCache(Memory, blockTokens, blockTokens * PositionBytes, budgetBytes) : null;
    }

    /// <summary>Copies the longest cached prefix of <paramref name="prompt"/> (always leaving its last token to run,
    /// for the logits) into a freshly admitted slot; returns the positions it now holds.</summary>
    internal int AttachPrefix(KvSlot slot, ReadOnlySpan<int> prompt)
    {
        if (Prefixes is not { } prefixes || slot.Length != 0)
        {
            return 0;
        }
        var found = new List<PrefixBlock>();
        var tokens = prefixes.Match(prompt, prompt.Length - 1, found);
        if (tokens == 0)
        {
            return 0;
        }
        slot.Length = tokens;
        var block = prefixes.BlockTokens;
        for (var b = 0; b < found.Count; b++)
        {
            var from = found[b].Memory.DangerousGetHandle();
            for (var t = 0; t < Layout.NumLayers * 2; t++)
            {
                for (var h = 0; h < Layout.NumKeyValueHeads; h++)
                {
                    var offset = ((long)((t * Layout.NumKeyValueHeads) + h) * block) * HeadBytes;
                    Memory.Copy(from + (nint)offset, Address(slot, t, h, b * block), block * HeadBytes);
                }
            }
        }
        return tokens;
    }

    /// <summary>Keeps the full blocks of a prompt the slot has just run, for the next sequence that starts the same way.</summary>
    internal void StorePrefix(KvSlot slot, ReadOnlySpan<int> prompt)
    {
        if (Prefixes is not { } prefixes)
        {
            return;
        }
        var block = prefixes.BlockTokens;
        var hash = 0UL;
        for (var b = 0; (b + 1) * block <= slot.Length && (b + 1) * block <= prompt.Length; b++)
        {
            hash = prefixes.PrefixHash(prompt, b, hash);
            if (prefixes.Contains(hash))
            {
                continue;
            }
            if (prefixes.Add(hash, prompt.Slice(b * block, block)) is not { } added)
            {
                return;
            }
            var to = added.Memory.DangerousGetHandle();
            for (var t = 0; t < Layout.NumLayers * 2; t++)
            {
                for (var h = 0; h < Layout.NumKeyValueHeads; h++)
                {
                    var offset = ((long)((t * Layout.NumKeyValueHeads) + h) * block) * HeadBytes;
                    Memory.Copy(Address(slot, t, h, b * block), to + (nint)offset, block * HeadBytes);
                }
            }
        }
    }

    /// <summary>Where <paramref name="position"/> of tensor <paramref name="tensor"/> (layer × 2 + key|value), head
    /// <paramref name="head"/>, lives for a slot that is prefilling: its head's positions are contiguous there.</summary>
    private protected abstract IntPtr Address(KvSlot slot, int tensor, int head, int position);

    public abstract void Dispose();

    /// <summary>Binds one layer's past and present over views of KV memory; the binding keeps its own reference to
    /// each tensor, so the views are released at once.</summary>
    private protected static void BindLayer(OrtIoBinding binding, DecoderLayout layout, int layer,
        OrtValue key, OrtValue value, OrtValue presentKey, OrtValue presentValue)
    {
        try
        {
            binding.BindInput(layout.PastKeyNames[layer], key);
            binding.BindInput(layout.PastValueNames[layer], value);
            binding.BindOutput(layout.PresentKeyNames[layer], presentKey);
            binding.BindOutput(layout.PresentValueNames[layer], presentValue);
        }
        finally
        {
            key.Dispose();
            value.Dispose();
            if (!ReferenceEquals(presentKey, key))
            {
                presentKey.Dispose();
                presentValue.Dispose();
            }
        }
    }
}

/// <summary>One row of a decode step. <see cref="Source"/>: index of its sequence in the step's decoding list, or -1
/// for a row that only keeps the batch contiguous (its output is ignored). Its mask has ones from
/// <see cref="PadLeft"/> for <see cref="Past"/> + 1 positions; its new token's position is <see cref="Past"/>.</summary>
internal struct DecodeRow
{
    public int Source;
    public int Past;
    public int PadLeft;
}
