using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Llm.Engine;

/// <summary>Where KV buffers live (CPU memory, or the CUDA device's own so the cache never crosses PCIe during
/// decode): allocation, tensor views of part of a buffer, and copies between parts of buffers (on the device through
/// ONNX Runtime's data transfer, which has no CPU-to-CPU path).</summary>
internal sealed class KvMemory(OrtAllocator allocator, OrtMemoryInfo info, bool onDevice)
{
    private byte[] _zeros = [];

    public OrtMemoryAllocation Allocate(long bytes) => allocator.Allocate(checked((uint)Math.Max(bytes, 1)));

    /// <summary>A tensor of <paramref name="shape"/> over the memory at <paramref name="at"/>; it does not own the memory.</summary>
    public OrtValue View(IntPtr at, long[] shape, TensorElementType type, long bytes) =>
        OrtValue.CreateTensorValueWithData(info, type, shape, at, bytes);

    /// <summary>Copies <paramref name="bytes"/> between two non-overlapping ranges of KV memory.</summary>
    public unsafe void Copy(IntPtr from, IntPtr to, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }
        if (!onDevice)
        {
            Buffer.MemoryCopy((void*)from, (void*)to, bytes, bytes);
            return;
        }
        long[] shape = [bytes];
        using var source = OrtValue.CreateTensorValueWithData(info, TensorElementType.UInt8, shape, from, bytes);
        using var target = OrtValue.CreateTensorValueWithData(info, TensorElementType.UInt8, shape, to, bytes);
        OrtEnv.Instance().CopyTensors([source], [target], null);
    }

    /// <summary>Zeroes padding positions: uninitialised memory may hold NaN bit patterns, and a masked score's zero
    /// weight times NaN is still NaN.</summary>
    public unsafe void Clear(IntPtr at, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }
        if (!onDevice)
        {
            NativeMemory.Clear((void*)at, (nuint)bytes);
            return;
        }
        if (_zeros.Length < bytes)
        {
            _zeros = GC.AllocateArray<byte>(checked((int)bytes), pinned: true);
        }
        long[] shape = [bytes];
        using var source = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _zeros.AsMemory(0, (int)bytes), shape);
        using var target = OrtValue.CreateTensorValueWithData(info, TensorElementType.UInt8, shape, at, bytes);
        OrtEnv.Instance().CopyTensors([source], [target], null);
    }
}
