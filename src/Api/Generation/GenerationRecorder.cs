using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Rag.Api.Observability;

namespace Rag.Api.Generation;

/// <summary>
/// Watches one generation as the client receives it: time to first text, decode speed, usage, and whether it
/// completed, was cancelled (client gone, timeout) or failed — for <c>/metrics</c> and for the response's timings.
/// </summary>
public sealed class GenerationRecorder(ApiMetrics metrics, string endpoint)
{
    private readonly long started = Stopwatch.GetTimestamp();
    private long firstTextAt;
    private long lastTextAt;
    private int textUpdates;

    public TimeSpan? TimeToFirstToken => firstTextAt == 0 ? null : Stopwatch.GetElapsedTime(started, firstTextAt);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    public UsageDetails? Usage { get; private set; }

    public ChatFinishReason? FinishReason { get; private set; }

    public int OutputTokens => (int?)Usage?.OutputTokenCount ?? textUpdates;

    /// <summary>Tokens per second after the first one (the decode phase alone), once there were two.</summary>
    public double? TokensPerSecond
    {
        get
        {
            var decodeTime = firstTextAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(firstTextAt, lastTextAt);
            return OutputTokens > 1 && decodeTime > TimeSpan.Zero ? (OutputTokens - 1) / decodeTime.TotalSeconds : null;
        }
    }

    /// <summary>Passes <paramref name="source"/> through, letting <paramref name="inspect"/> report each item's text and usage.</summary>
    public async IAsyncEnumerable<T> Observe<T>(
        IAsyncEnumerable<T> source, Action<GenerationRecorder, T> inspect, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(inspect);
        // Stays Cancelled unless the stream ends normally or throws: a consumer that stops reading is a cancellation.
        var outcome = new OutcomeBox();
        try
        {
            await using var enumerator = source.GetAsyncEnumerator(cancellationToken);
            while (await MoveNextAsync(enumerator, outcome))
            {
                inspect(this, enumerator.Current);
                yield return enumerator.Current;
            }
            outcome.Value = GenerationOutcome.Completed;
        }
        finally
        {
            Finish(outcome.Value);
        }
    }

    /// <summary>Observes an <see cref="IChatClient"/> stream.</summary>
    public IAsyncEnumerable<ChatResponseUpdate> Observe(IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken = default) =>
        Observe(updates, static (recorder, update) =>
        {
            recorder.RecordText(update.Text);
            foreach (var content in update.Contents)
            {
                if (content is UsageContent usage)
                {
                    recorder.Usage = usage.Details;
                }
            }
            recorder.FinishReason = update.FinishReason ?? recorder.FinishReason;
        }, cancellationToken);

    public void RecordText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        lastTextAt = Stopwatch.GetTimestamp();
        if (firstTextAt == 0)
        {
            firstTextAt = lastTextAt;
        }
        textUpdates++;
    }

    public void RecordUsage(UsageDetails? usage) => Usage = usage ?? Usage;

    private void Finish(GenerationOutcome outcome)
    {
        metrics.RecordGeneration(endpoint, outcome);
        if (TimeToFirstToken is { } ttft)
        {
            metrics.RecordFirstToken(endpoint, ttft);
        }
        if (TokensPerSecond is { } rate)
        {
            metrics.RecordDecodeRate(endpoint, rate);
        }
    }

    private static async ValueTask<bool> MoveNextAsync<T>(IAsyncEnumerator<T> enumerator, OutcomeBox outcome)
    {
        try
        {
            return await enumerator.MoveNextAsync();
        }
        catch (OperationCanceledException)
        {
            outcome.Value = GenerationOutcome.Cancelled;
            throw;
        }
        catch
        {
            outcome.Value = GenerationOutcome.Failed;
            throw;
        }
    }

    private sealed class OutcomeBox
    {
        public GenerationOutcome Value { get; set; } = GenerationOutcome.Cancelled;
    }
}
