using Microsoft.ML.OnnxRuntime;

namespace Rag.Llm.Engine;

/// <summary>Keys and values of prompt prefixes that recur (the answer prompt's fixed instructions, a chat's earlier
/// turns, the same sources asked about twice), in blocks of <see cref="BlockTokens"/> positions keyed by a hash of
/// the whole prefix up to the block's end, within a byte budget, least recently used evicted first. A hit is copied
/// into the new sequence's own KV space, so a block may be evicted at any time. Owned by the
/// <see cref="KvCacheManager"/>; used by the engine's thread alone.</summary>
internal sealed class PrefixCache : IDisposable
{
    private readonly KvMemory _memory;
    private readonly Dictionary<ulong, PrefixBlock> _blocks = [];
    private readonly LinkedList<PrefixBlock> _recency = new();

    public PrefixCache(KvMemory memory, int blockTokens, long blockBytes, long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockTokens, 1);
        _memory = memory;
        BlockTokens = blockTokens;
        BlockBytes = blockBytes;
        BudgetBytes = budgetBytes;
    }

    public int BlockTokens { get; }

    /// <summary>Bytes of one block: every layer's keys and values for <see cref="BlockTokens"/> positions.</summary>
    public long BlockBytes { get; }

    public long BudgetBytes { get; }

    public long Bytes => _blocks.Count * BlockBytes;

    /// <summary>Collects, in order, the cached blocks covering the longest prefix of <paramref name="prompt"/> of at
    /// most <paramref name="maxTokens"/> tokens; returns how many tokens they hold.</summary>
    public int Match(ReadOnlySpan<int> prompt, int maxTokens, List<PrefixBlock> found)
    {
        found.Clear();
        var hash = Seed;
        for (var end = BlockTokens; end <= maxTokens; end += BlockTokens)
        {
            var tokens = prompt.Slice(end - BlockTokens, BlockTokens);
            hash = Hash(hash, tokens);
            if (!_blocks.TryGetValue(hash, out var block) || !tokens.SequenceEqual(block.Tokens))
            {
                break;
            }
            _recency.Remove(block.Recency);
            _recency.AddFirst(block.Recency);
            found.Add(block);
        }
        return found.Count * BlockTokens;
    }

    /// <summary>The hash of the prefix ending with block <paramref name="index"/> of <paramref name="prompt"/>.</summary>
    public ulong PrefixHash(ReadOnlySpan<int> prompt, int index, ulong previous) =>
        Hash(index == 0 ? Seed : previous, prompt.Slice(index * BlockTokens, BlockTokens));

    public bool Contains(ulong hash) => _blocks.ContainsKey(hash);

    /// <summary>A new block for the prefix <paramref name="hash"/> ending in <paramref name="tokens"/>, for the
    /// caller to fill; least recently used blocks make room. Null when the budget holds no block at all.</summary>
    public PrefixBlock? Add(ulong hash, ReadOnlySpan<int> tokens)
    {
        if (BlockBytes > BudgetBytes)
        {
            return null;
        }
        while (Bytes + BlockBytes > BudgetBytes && _recency.Last is { } oldest)
        {
            Evict(oldest.Value);
        }
        var block = new PrefixBlock(hash, tokens.ToArray(), _memory.Allocate(BlockBytes));
        block.Recency = _recency.AddFirst(block);
        _blocks.Add(hash, block);
        return block;
    }

    private void Evict(PrefixBlock block)
    {
        _recency.Remove(block.Recency);
        _blocks.Remove(block.Hash);
        block.Memory.Dispose();
    }

    private const ulong Seed = 14695981039346656037;

    /// <summary>FNV-1a over the previous prefix's hash and this block's tokens: equal hashes mean equal prefixes
    /// (up to 64-bit collisions, and a hit also compares the block's own tokens).</summary>
    private static ulong Hash(ulong previous, ReadOnlySpan<int> tokens)
    {
        var hash = previous;
        foreach (var token in tokens)
        {
            hash = (hash ^ (uint)token) * 1099511628211;
        }
        return hash;
    }

    public void Dispose()
    {
        foreach (var block in _blocks.Values)
        {
            block.Memory.Dispose();
        }
        _blocks.Clear();
        _recency.Clear();
    }
}

/// <summary>One cached block: [layer * 2 + key|value][kv_heads][block positions][head_dim] in KV memory.</summary>
internal sealed class PrefixBlock(ulong hash, int[] tokens, OrtMemoryAllocation memory)
{
    public ulong Hash { get; } = hash;
    public int[] Tokens { get; } = tokens;
    public OrtMemoryAllocation Memory { get; } = memory;
    public LinkedListNode<PrefixBlock> Recency { get; set; } = null!;
}
