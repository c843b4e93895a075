namespace Rag.Api.Generation;

/// <summary>
/// A stream read ahead up to a chosen item. Handlers start generation before answering, so what fails up front
/// (prompt too long, generation queue full) becomes a proper status code instead of a broken stream.
/// </summary>
public sealed class PrimedSequence<T> : IAsyncEnumerable<T>
{
    private readonly IAsyncEnumerator<T> enumerator;
    private readonly List<T> readAhead;
    private readonly bool ended;
    private int enumerated;

    internal PrimedSequence(IAsyncEnumerator<T> enumerator, List<T> readAhead, bool ended)
    {
        this.enumerator = enumerator;
        this.readAhead = readAhead;
        this.ended = ended;
    }

    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A primed sequence can be enumerated once.");
        }
        await using var source = enumerator;
        foreach (var item in readAhead)
        {
            yield return item;
        }
        if (ended)
        {
            yield break;
        }
        while (await source.MoveNextAsync())
        {
            yield return source.Current;
        }
    }
}

public static class PrimedSequence
{
    /// <summary>Reads <paramref name="source"/> up to and including the first item matching <paramref name="until"/>.</summary>
    public static async Task<PrimedSequence<T>> StartAsync<T>(IAsyncEnumerable<T> source, Func<T, bool> until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(until);
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            var readAhead = new List<T>();
            while (await enumerator.MoveNextAsync())
            {
                readAhead.Add(enumerator.Current);
                if (until(enumerator.Current))
                {
                    return new PrimedSequence<T>(enumerator, readAhead, ended: false);
                }
            }
            return new PrimedSequence<T>(enumerator, readAhead, ended: true);
        }
        catch
        {
            await enumerator.DisposeAsync();
            throw;
        }
    }
}
