using Rag.Llm.Serving;

namespace Rag.Llm.Tests.Serving;

public class RequestGateTests
{
    [Fact]
    public async Task Requests_beyond_the_limit_wait_and_beyond_the_queue_are_refused()
    {
        using var gate = new RequestGate(maxConcurrent: 1, maxQueued: 1);
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        Assert.Equal(1, gate.Queued);
        await Assert.ThrowsAsync<LlmBusyException>(() => gate.EnterAsync(CancellationToken.None).AsTask());

        first.Dispose();
        (await second).Dispose();
        Assert.Equal(0, gate.Queued);
        (await gate.EnterAsync(CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        using var gate = new RequestGate(1, 4);
        using var held = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, gate.Queued);
    }
}
