using Rag.Llm.Onnx;
using Rag.Llm.Serving;

namespace Rag.Llm.Engine;

/// <summary>The engine of one loaded model. A single thread owns the session's <see cref="ModelExecutor"/>, the
/// <see cref="Scheduler"/> and the <see cref="KvCacheManager"/> and repeats one step — schedule → execute → update:
/// the scheduler admits waiting requests and retires cancelled ones; every prefilled sequence advances by one token
/// in one batched decode Run, then the oldest prefilling sequence runs one chunk of its prompt, or several when no
/// sequence is decoding (a separate Run: the graphs take one sequence length for the whole batch, so a chunk beside
/// 1-token decodes would pad every decode row to the chunk's length); each sequence samples its token, streams its
/// text through its channel and is retired, its KV freed, the moment it ends.</summary>
public sealed class EngineLoop : IDisposable
{
    private readonly KvCacheManager _cache;
    private readonly ModelExecutor _executor;
    private readonly Scheduler _scheduler;
    private readonly LlmMetrics _metrics;
    private readonly int _vocab;
    private readonly StepPlan _plan = new();
    private readonly List<(Sequence Sequence, Exception? Error)> _ended = [];
    private readonly int[] _tokens;
    private readonly float[] _logits;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _disposed;

    public EngineLoop(DecoderSession session, EngineSettings settings, LlmMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metrics);
        _metrics = metrics;
        _vocab = session.VocabSize;
        _cache = session.CreateCacheManager(settings.MaxSequences, settings.KvCacheBytes, settings.ContextLength);
        try
        {
            _executor = new ModelExecutor(session, _cache, settings.ContextLength);
        }
        catch
        {
            _cache.Dispose();
            throw;
        }
        _cache.EnablePrefixCache(settings.PrefixBlockTokens, settings.PrefixCacheBytes);
        _scheduler = new Scheduler(_cache, settings.MaxQueued, settings.PrefillChunkTokens);
        _tokens = new int[_cache.MaxRows];
        _logits = new float[_cache.MaxRows * _vocab];
        metrics.ObserveEngine(this);
        _thread = new Thread(Loop) { IsBackground = true, Name = "llm-engine" };
        _thread.Start();
    }

    /// <summary>Requests admitted but not yet prefilled or decoding (waiting for KV space).</summary>
    public int Waiting => _scheduler.Waiting;

    /// <summary>Sequences holding KV space now.</summary>
    public int Running => _scheduler.Running;

    public long KvBytesReserved => Volatile.Read(ref _reservedBytes);

    public long KvBytesBudget => _cache.BudgetBytes;

    /// <summary>Sequences that can run at once within the budget.</summary>
    public int MaxSequences => _cache.MaxSequences;

    /// <summary>Bytes the prefix cache holds.</summary>
    public long PrefixCacheBytes => Volatile.Read(ref _prefixBytes);

    private long _reservedBytes;
    private long _prefixBytes;

    internal void Submit(Sequence sequence)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _scheduler.Submit(sequence);
        Wake();
    }

    /// <summary>Makes an idle loop look again (a request arrived or was cancelled).</summary>
    internal void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private void Loop()
    {
        while (!_stopping)
        {
            if (_scheduler.IsIdle)
            {
                _wake.Wait();
                continue;
            }
            try
            {
                Step();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault outside a Run (the cache's own copies): nothing in flight can be trusted any more.
                foreach (var sequence in _scheduler.Drain())
                {
                    sequence.Abort(e);
                }
                continue;
            }
            if (_plan.Decoding.Count == 0 && _plan.Prefill is null && _plan.Admitted.Count == 0)
            {
                // Everything in the engine waits for memory held by nobody running: sleep until something changes.
                _wake.Wait(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>One step: schedule → execute → update.</summary>
    private void Step()
    {
        _scheduler.Schedule(_plan, _ended);
        EndAll();
        foreach (var admitted in _plan.Admitted)
        {
            _metrics.RecordPrefixLookup(admitted.Prompt.Length, admitted.Prefilled);
        }
        var decoding = _plan.Decoding;
        if (decoding.Count > 0)
        {
            for (var i = 0; i < decoding.Count; i++)
            {
                _tokens[i] = decoding[i].NextToken;
            }
            var failed = Execute(decoding, () => _executor.Decode(_plan.DecodingSlots, _tokens.AsSpan(0, decoding.Count), _logits));
            _metrics.RecordStep(decoding.Count, 0);
            for (var i = 0; i < decoding.Count && !failed; i++)
            {
                var sequence = decoding[i];
                sequence.AddDecodeRunTime(_executor.LastRunTime);
                if (sequence.Accept(_logits.AsSpan(i * _vocab, _vocab)))
                {
                    _scheduler.Retire(sequence);
                }
            }
        }
        if (_plan.Prefill is { } prefilling)
        {
            var chunk = prefilling.Prompt.AsSpan(prefilling.Prefilled, _plan.PrefillTokens);
            var last = prefilling.Prefilled + chunk.Length == prefilling.Prompt.Length;
            var logits = last ? _logits.AsSpan(0, _vocab) : [];
            var tokens = chunk.ToArray();
            var failed = Execute([prefilling], () => _executor.Prefill(prefilling.Slot!, tokens, _logits.AsSpan(0, last ? _vocab : 0)));
            _metrics.RecordStep(0, chunk.Length);
            if (!failed)
            {
                prefilling.Prefill(chunk.Length);
                if (last)
                {
                    // The first token goes out before the prompt's keys and values are copied into the prefix cache
                    // (tens of megabytes for a long prompt), and the copy is made before a finished sequence's row is freed.
                    var finished = prefilling.Accept(logits);
                    var slot = prefilling.Slot!;
                    failed = Execute([prefilling], () =>
                    {
                        _cache.StorePrefix(slot, prefilling.Prompt);
                        _cache.CompletePrefill(slot);
                    });
                    if (finished && !failed)
                    {
                        _scheduler.Retire(prefilling);
                    }
                }
            }
        }
        Volatile.Write(ref _reservedBytes, _cache.ReservedBytes);
        Volatile.Write(ref _prefixBytes, _cache.PrefixBytes);
    }

    /// <summary>Runs <paramref name="run"/>; when it throws, fails and retires <paramref name="sequences"/> and reports true.</summary>
    private bool Execute(IReadOnlyList<Sequence> sequences, Action run)
    {
        try
        {
            run();
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var sequence in sequences.ToList())
            {
                _scheduler.Retire(sequence);
                sequence.Abort(e);
            }
            return true;
        }
    }

    private void EndAll()
    {
        foreach (var (sequence, error) in _ended)
        {
            sequence.Abort(error);
        }
        _ended.Clear();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping = true;
        _wake.Release();
        _thread.Join();
        foreach (var sequence in _scheduler.Drain())
        {
            sequence.Abort(new ObjectDisposedException(nameof(EngineLoop)));
        }
        _executor.Dispose();
        _cache.Dispose();
        _wake.Dispose();
    }
}
