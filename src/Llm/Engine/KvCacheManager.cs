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
