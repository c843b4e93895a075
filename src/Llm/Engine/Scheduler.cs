using System.Collections.Concurrent;
using Rag.Llm.Serving;

namespace Rag.Llm.Engine;

/// <summary>Decides who runs in a step: retires cancelled sequences, admits waiting ones (oldest first) while the
/// <see cref="KvCacheManager"/> holds them (starting each from its longest cached prompt prefix), then gives every
/// prefilled sequence its decode token and the oldest prefilling one a chunk of its prompt (up to
/// <see cref="LonePrefillChunks"/> chunks when no sequence is decoding). Requests arrive from any thread; everything
/// else runs on the engine's.</summary>
internal sealed class Scheduler(KvCacheManager cache, int maxQueued, int prefillChunkTokens)
{
    /// <summary>Chunks one prefill Run may take when no sequence is decoding.</summary>
    public const int LonePrefillChunks = 4;

    private readonly ConcurrentQueue<Sequence> _arrived = new();
    private readonly List<Sequence> _waiting = [];
    private readonly List<Sequence> _running = [];
    // Submitted and not yet retired: admission refuses beyond what the cache can run plus the queue.
    private int _inEngine;
    private int _waitingCount;

    public int Waiting => Volatile.Read(ref _waitingCount);

    public int Running => Volatile.Read(ref _inEngine) - Waiting;

    public bool IsIdle => Volatile.Read(ref _inEngine) == 0;

    /// <summary>Queues <paramref name="sequence"/>; a full queue refuses it at once.</summary>
    public void Submit(Sequence sequence)
    {
        if (Interlocked.Increment(ref _inEngine) > cache.MaxSequences + maxQueued)
        {
            Interlocked.Decrement(ref _inEngine);
            throw new LlmBusyException($"The engine runs {cache.MaxSequences} sequences at most and {maxQueued} requests are already waiting.");
        }
        Interlocked.Increment(ref _waitingCount);
        _arrived.Enqueue(sequence);
    }

    /// <summary>Plans the next step into <paramref name="plan"/>; sequences that ended outside a step (cancelled,
    /// or never able to fit) are added to <paramref name="ended"/> with their slots already freed.</summary>
    public void Schedule(StepPlan plan, List<(Sequence Sequence, Exception? Error)> ended)
    {
        plan.Clear();
        while (_arrived.TryDequeue(out var arrived))
        {
            _waiting.Add(arrived);
        }
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            if (_waiting[i].IsCancelled)
            {
                ended.Add((_waiting[i], null));
                LeaveQueue(i);
            }
        }
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            if (_running[i].IsCancelled)
            {
                ended.Add((_running[i], null));
                Retire(_running[i]);
            }
        }
        while (_waiting.Count > 0)
        {
            var next = _waiting[0];
            if (cache.TryAdmit(next.Prompt.Length, next.Capacity) is not { } slot)
            {
                if (_running.Count == 0)
                {
                    // Nothing holds memory and it still does not fit: it never will.
                    ended.Add((next, new InvalidOperationException(
                        $"A sequence of {next.Capacity} positions needs more than Llm:KvCacheBytes ({cache.BudgetBytes} bytes).")));
                    LeaveQueue(0);
                    continue;
                }
                break;
            }
            next.Admit(slot, cache.AttachPrefix(slot, next.Prompt));
            _waiting.RemoveAt(0);
            Interlocked.Decrement(ref _waitingCount);
            _running.Add(next);
            plan.Admitted.Add(next);
        }
        foreach (var sequence in _running)
        {
            if (sequence.IsPrefilled)
            {
                plan.Decoding.Add(sequence);
                plan.DecodingSlots.Add(sequence.Slot!);
            }
            else
            {
                plan.Prefill ??= sequence;
            }
        }
        if (plan.Prefill is { } prefilling)
        {
            // Chunks keep the decoding sequences' streams moving. With none decoding nobody waits on this prefill, so
            // it runs LonePrefillChunks chunks at once: fewer Runs and an earlier first token, while a request arriving
            // meanwhile (or a cancel) still waits for at most that much.
            var left = prefilling.Prompt.Length - prefilling.Prefilled;
            plan.PrefillTokens = prefillChunkTokens == 0 ? left
                : Math.Min(left, plan.Decoding.Count > 0 ? prefillChunkTokens : LonePrefillChunks * prefillChunkTokens);
        }
    }

    /// <summary>Frees a running sequence's KV space at once and forgets it.</summary>
    public void Retire(Sequence sequence)
    {
        if (!_running.Remove(sequence))
        {
            return;
        }
        cache.Release(sequence.Slot!);
        Interlocked.Decrement(ref _inEngine);
    }

    /// <summary>Every sequence still in the engine, for shutdown.</summary>
    public IEnumerable<Sequence> Drain()
    {
        while (_arrived.TryDequeue(out var arrived))
        {
            _waiting.Add(arrived);
        }
        var all = _waiting.Concat(_running).ToList();
        foreach (var sequence in _running.ToList())
        {
            Retire(sequence);
        }
        _waiting.Clear();
        return all;
    }

    private void LeaveQueue(int index)
    {
        _waiting.RemoveAt(index);
        Interlocked.Decrement(ref _waitingCount);
        Interlocked.Decrement(ref _inEngine);
    }
}

/// <summary>What one step runs: a decode token for each of <see cref="Decoding"/> (one batched Run) and, when
/// <see cref="Prefill"/> is set, the next <see cref="PrefillTokens"/> of its prompt.</summary>
internal sealed class StepPlan
{
    public List<Sequence> Admitted { get; } = [];
    public List<Sequence> Decoding { get; } = [];
    public List<KvSlot> DecodingSlots { get; } = [];
    public Sequence? Prefill { get; set; }
    public int PrefillTokens { get; set; }

    public void Clear()
    {
        Admitted.Clear();
        Decoding.Clear();
        DecodingSlots.Clear();
        Prefill = null;
        PrefillTokens = 0;
    }
}
