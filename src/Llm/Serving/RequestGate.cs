namespace Rag.Llm.Serving;

/// <summary>Admits at most a fixed number of concurrent generations and queues a bounded number more; a request
/// arriving at a full queue is refused at once rather than left waiting.</summary>
public sealed class RequestGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxQueued;
    private int _queued;

    public RequestGate(int maxConcurrent, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueued);
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _maxQueued = maxQueued;
    }

    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Waits for a slot; dispose the returned lease to give it back.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _queued) > _maxQueued)
            {
                Interlocked.Decrement(ref _queued);
                throw new LlmBusyException($"All generation slots are busy and {_maxQueued} requests are already queued.");
            }
            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }
        }
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
