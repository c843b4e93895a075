using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Onnx;
using Rag.Llm.Serving;
using Rag.Tokenizers;

namespace Rag.Llm.Generation;

/// <summary>Runs one request: prefill (one Run over the whole prompt), then one Run per new token until a stop rule
/// fires, streaming text deltas. The loop runs on a worker thread; the caller's stream reads a channel, and leaving
/// the stream early cancels the worker within one step and frees the request's cache.</summary>
public sealed class Generator(
    DecoderSession session,
    HfTokenizer tokenizer,
    IReadOnlyList<int> eosTokenIds,
    int contextLength,
    RequestGate gate,
    LlmMetrics metrics)
{
    public int ContextLength => contextLength;

    public async IAsyncEnumerable<string> GenerateAsync(
        IReadOnlyList<int> prompt,
        GenerationOptions options,
        GenerationStats? stats = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        options.Sampling.Validate();
        stats ??= new GenerationStats();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var worker = Task.Run(() => ProduceAsync(prompt, options, stats, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var delta in channel.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return delta;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }
        // Surfaces a cancellation requested by the caller even when it landed between two deltas.
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task ProduceAsync(
        IReadOnlyList<int> prompt, GenerationOptions options, GenerationStats stats, ChannelWriter<string> output,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                stats.QueueWait = clock.Elapsed;
                Generate(prompt, options, stats, output, clock, cancellationToken);
            }
            output.Complete();
        }
        catch (Exception e) when (e is OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            stats.FinishReason = FinishReason.Cancelled;
            output.Complete(new OperationCanceledException("Generation was cancelled.", e, cancellationToken));
        }
        catch (Exception e)
        {
            output.Complete(e);
        }
        finally
        {
            metrics.Record(stats);
        }
    }

    private void Generate(
        IReadOnlyList<int> prompt, GenerationOptions options, GenerationStats stats, ChannelWriter<string> output,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        var promptIds = FitPrompt(prompt, options, stats);
        var budget = contextLength - promptIds.Length;
        var maxNew = Math.Min(options.MaxNewTokens ?? budget, budget);
        var capacity = promptIds.Length + maxNew;
        stats.PromptTokens = promptIds.Length;
        if (maxNew <= 0)
        {
            stats.FinishReason = FinishReason.Length;
            return;
        }

        using var state = session.CreateState(capacity);
        stats.KvCacheBytes = state.Cache.Bytes;
        metrics.CacheAllocated(state.Cache.Bytes);
        // A cancelled request also aborts a Run in flight, so even a long prefill stops promptly.
        using var abort = cancellationToken.Register(static s => ((RunOptions)s!).Terminate = true, state.RunOptions);
        try
        {
            Decode(promptIds, options, stats, output, state, capacity, maxNew, clock, cancellationToken);
        }
        finally
        {
            metrics.CacheFreed(state.Cache.Bytes);
        }
    }

    private void Decode(
        int[] promptIds, GenerationOptions options, GenerationStats stats, ChannelWriter<string> output,
        DecodeState state, int capacity, int maxNew, Stopwatch clock, CancellationToken cancellationToken)
    {
        var vocab = session.VocabSize;
        var logits = new float[vocab];
        var history = new TokenHistory(vocab);
        history.AddPrompt(promptIds);
        var sampler = new Sampler(vocab);
        var random = options.Sampling.Seed is { } seed ? new Random(seed) : new Random();
        var stopCondition = new StopCondition(eosTokenIds, maxNew, capacity);
        var detokenizer = tokenizer.CreateStreamingDetokenizer();
        var stops = new StopStrings(options.StopSequences);

        var prefillStart = clock.Elapsed;
        session.Run(state, promptIds, logits);
        stats.PrefillDuration = clock.Elapsed - prefillStart;

        var generated = 0;
        TimeSpan firstToken = default;
        while (true)
        {
            var token = sampler.Sample(logits, options.Sampling, history, random);
            if (generated == 0)
            {
                firstToken = clock.Elapsed;
                stats.TimeToFirstToken = firstToken;
            }
            stats.DecodeDuration = clock.Elapsed - firstToken;
            if (stopCondition.IsEndOfSequence(token))
            {
                stats.FinishReason = FinishReason.EndOfSequence;
                break;
            }
            history.AddGenerated(token);
            stats.Tokens.Add(token);
            stats.CompletionTokens = ++generated;
            Emit(output, stops.Push(detokenizer.Push(token)));
            if (stops.Stopped)
            {
                stats.FinishReason = FinishReason.StopSequence;
                break;
            }
            if (stopCondition.IsLengthReached(generated, state.Cache.Position))
            {
                stats.FinishReason = FinishReason.Length;
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            session.Run(state, new ReadOnlySpan<int>(in token), logits);
        }
        Emit(output, stops.Push(detokenizer.Flush()));
        Emit(output, stops.Flush());
    }

    private int[] FitPrompt(IReadOnlyList<int> prompt, GenerationOptions options, GenerationStats stats)
    {
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt has no tokens.", nameof(prompt));
        }
        if (prompt.Count < contextLength)
        {
            return [.. prompt];
        }
        if (!options.AllowTruncation)
        {
            throw new PromptTooLongException(prompt.Count, contextLength);
        }
        // Keep the newest tokens and leave room for the requested answer (at most half the window).
        var room = Math.Clamp(options.MaxNewTokens ?? contextLength / 2, 1, contextLength / 2);
        var keep = contextLength - room;
        stats.TruncatedTokens = prompt.Count - keep;
        return [.. prompt.Skip(prompt.Count - keep)];
    }

    private static void Emit(ChannelWriter<string> output, string text)
    {
        if (text.Length > 0)
        {
            output.TryWrite(text);
        }
    }
}
