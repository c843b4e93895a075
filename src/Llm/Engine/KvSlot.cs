using Microsoft.ML.OnnxRuntime;

namespace Rag.Llm.Engine;

/// <summary>One sequence's place in the KV cache: how many positions it holds and may hold, and the memory the
/// <see cref="KvCacheManager"/> gave it. Only the manager reads or changes the placement.</summary>
public sealed class KvSlot
{
    internal KvSlot(int capacity, long reservedBytes)
    {
        Capacity = capacity;
        ReservedBytes = reservedBytes;
    }

    /// <summary>Positions this sequence may reach (prompt plus its new-token budget).</summary>
    public int Capacity { get; }

    /// <summary>Positions filled: the next token's position.</summary>
    public int Length { get; internal set; }

    /// <summary>KV-cache bytes admission counted for this sequence.</summary>
    public long ReservedBytes { get; }

    /// <summary>Shared layout: the buffer row it owns. Concat layout: its index in the decode batch once joined, else -1.</summary>
    internal int Row { get; set; } = -1;

    /// <summary>Concat layout, while prefilling: two [1, kv_heads, prompt, head_dim] buffers per tensor, past and present
    /// swapping roles each chunk.</summary>
    internal OrtMemoryAllocation[][]? Staging { get; set; }

    internal int StagingCurrent { get; set; }

    internal bool Released { get; set; }
}
