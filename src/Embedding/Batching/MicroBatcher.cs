using System.Buffers;
using System.Threading.Channels;

namespace Rag.Embedding.Batching;

/// <summary>
/// Runs every embedding request through one worker that merges what is waiting — single texts from many callers
/// or one caller's thousands — into length-sorted batches within the token budget. When fewer requests are waiting
/// than the previous run merged, it waits up to <c>maxWait</c> for the others before it runs.
/// Owns its worker; the model stays owned by whoever passed it in.
/// </summary>
public sealed class MicroBatcher : IAsyncDisposable
{
    private readonly EmbeddingModel _model;
    private readonly int _maxBatchTokens;
    private readonly TimeSpan _maxWait;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;

    public MicroBatcher(EmbeddingModel model, int maxBatchTokens, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchTokens, 1);
        _model = model;
        _maxBatchTokens = maxBatchTokens;
        _maxWait = maxWait;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Vectors for <paramref name="texts"/>, in the same order.</summary>
    public Task<float[][]> EmbedAsync(EncodedText[] texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Length == 0)
        {
            return Task.FromResult(Array.Empty<float[]>());
        }
        var request = new Request(texts, cancellationToken);
        ObjectDisposedException.ThrowIf(!_requests.Writer.TryWrite(request), this);
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var pending = new List<Request>();
        var expected = 0;
        var reader = _requests.Reader;
        while (await reader.WaitToReadAsync())
        {
            var tokens = Drain(reader, pending, 0);
            // Waiting only pays when other callers are about: wait for as many requests as the last run merged
            // (they come back together), so a lone caller never waits and a crowd is not split in two.
            if (pending.Count < expected && tokens < _maxBatchTokens && _maxWait > TimeSpan.Zero)
            {
                using var window = new CancellationTokenSource(_maxWait);
                while (pending.Count < expected && tokens < _maxBatchTokens && await MoreArrived(reader, window.Token))
                {
                    tokens = Drain(reader, pending, tokens);
                }
            }
            expected = pending.Count;
            Run(pending);
            pending.Clear();
        }
    }

    private static async ValueTask<bool> MoreArrived(ChannelReader<Request> reader, CancellationToken window)
    {
        try
        {
            return await reader.WaitToReadAsync(window);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static int Drain(ChannelReader<Request> reader, List<Request> pending, int tokens)
    {
        while (reader.TryRead(out var request))
        {
            if (request.Cancellation.IsCancellationRequested)
            {
                request.Completion.TrySetCanceled(request.Cancellation);
                continue;
            }
            pending.Add(request);
            foreach (var text in request.Texts)
            {
                tokens += text.Length;
            }
        }
        return tokens;
    }

    private void Run(List<Request> pending)
    {
        var total = 0;
        foreach (var request in pending)
        {
            total += request.Texts.Length;
        }
        var lengths = ArrayPool<int>.Shared.Rent(total);
        var owners = ArrayPool<(Request Request, int Index)>.Shared.Rent(total);
        var ordered = ArrayPool<EncodedText>.Shared.Rent(total);
        try
        {
            var n = 0;
            foreach (var request in pending)
            {
                for (var i = 0; i < request.Texts.Length; i++, n++)
                {
                    lengths[n] = request.Texts[i].Length;
                    owners[n] = (request, i);
                }
            }
            var plan = BatchPlanner.Plan(lengths.AsSpan(0, total), _maxBatchTokens);
            // The texts in plan order, gathered once, so every batch is a slice of them.
            for (var k = 0; k < total; k++)
            {
                var (request, index) = owners[plan.Order[k]];
                ordered[k] = request.Texts[index];
            }
            foreach (var batch in plan.Batches)
            {
                RunBatch(ordered.AsSpan(batch), plan.Order.AsSpan(batch), owners);
            }
            foreach (var request in pending)
            {
                request.Completion.TrySetResult(request.Vectors);
            }
        }
        catch (Exception e)
        {
            foreach (var request in pending)
            {
                request.Completion.TrySetException(e);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
            ArrayPool<(Request, int)>.Shared.Return(owners, clearArray: true);
            ArrayPool<EncodedText>.Shared.Return(ordered, clearArray: true);
        }
    }

    /// <param name="batch">The batch's texts.</param>
    /// <param name="members">Their positions among all the texts, which <paramref name="owners"/> maps to requests.</param>
    private void RunBatch(ReadOnlySpan<EncodedText> batch, ReadOnlySpan<int> members, (Request Request, int Index)[] owners)
    {
        var dimension = _model.Dimension;
        var vectors = ArrayPool<float>.Shared.Rent(batch.Length * dimension);
        try
        {
            _model.Embed(batch, vectors.AsSpan(0, batch.Length * dimension));
            for (var i = 0; i < members.Length; i++)
            {
                var (request, index) = owners[members[i]];
                request.Vectors[index] = vectors.AsSpan(i * dimension, dimension).ToArray();
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vectors);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _worker;
    }

    private sealed class Request(EncodedText[] texts, CancellationToken cancellation)
    {
        public EncodedText[] Texts { get; } = texts;

        public CancellationToken Cancellation { get; } = cancellation;

        public float[][] Vectors { get; } = new float[texts.Length][];

        public TaskCompletionSource<float[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
