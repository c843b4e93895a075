using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Llm.Engine;

/// <summary>A pinned int64 or int32 buffer (the type the graph declares for input_ids, attention_mask and
/// position_ids) that bound input tensors view without a copy.</summary>
internal sealed class PinnedIds
{
    private readonly long[]? _wide;
    private readonly int[]? _narrow;

    public PinnedIds(TensorElementType type, int length)
    {
        if (type == TensorElementType.Int64)
        {
            _wide = GC.AllocateArray<long>(length, pinned: true);
        }
        else
        {
            _narrow = GC.AllocateArray<int>(length, pinned: true);
        }
    }

    public int Length => _wide?.Length ?? _narrow!.Length;

    public void Write(int index, int value)
    {
        if (_wide is not null)
        {
            _wide[index] = value;
        }
        else
        {
            _narrow![index] = value;
        }
    }

    public void Fill(int start, int length, int value)
    {
        if (_wide is not null)
        {
            _wide.AsSpan(start, length).Fill(value);
        }
        else
        {
            _narrow.AsSpan(start, length).Fill(value);
        }
    }

    /// <summary>A [rows, columns] tensor over the buffer from <paramref name="offset"/>.</summary>
    public OrtValue View(int offset, int rows, int columns)
    {
        long[] shape = [rows, columns];
        var length = rows * columns;
        return _wide is not null
            ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _wide.AsMemory(offset, length), shape)
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _narrow!.AsMemory(offset, length), shape);
    }
}
