using Microsoft.Extensions.Options;
using Rag.Api.Hosting;

namespace Rag.Api.Generation;

/// <summary>
/// Bounds generation: <see cref="ApiOptions.MaxConcurrentGenerations"/> run, up to
/// <see cref="ApiOptions.MaxQueuedGenerations"/> wait, and the next caller is refused at once (429)
/// rather than queued behind work it would time out waiting for.
/// </summary>
public sealed class GenerationLimiter : IDisposable
{
    private readonly SemaphoreSlim slots;
    private readonly int maxWaiting;
    private readonly int retryAfterSeconds;
    private int waiting;
    private int running;

    public GenerationLimiter(IOptions<ApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        slots = new SemaphoreSlim(value.MaxConcurrentGenerations, value.MaxConcurrentGenerations);
        maxWaiting = value.MaxQueuedGenerations;
        retryAfterSeconds = value.RetryAfterSeconds;
    }

    /// <summary>Requests waiting for a slot.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Generations holding a slot.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>Waits for a slot; throws <see cref="GenerationQueueFullException"/> when the queue is full.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref waiting) > maxWaiting)
            {
                Interlocked.Decrement(ref waiting);
                throw new GenerationQueueFullException(retryAfterSeconds);
            }
            try
            {
                await slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref waiting);
            }
        }
        Interlocked.Increment(ref running);
        return new Slot(this);
    }

    public void Dispose() => slots.Dispose();

    private void Release()
    {
        Interlocked.Decrement(ref running);
        slots.Release();
    }

    // Released exactly once even when both the handler and the response's dispose list dispose it.
    private sealed class Slot(GenerationLimiter queue) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
