namespace Rag.Api.Generation;

public sealed class GenerationQueueFullException(int retryAfterSeconds)
    : Exception($"Every generation slot is busy and the queue is full; retry in {retryAfterSeconds} s.")
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
