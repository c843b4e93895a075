using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Onnx;
using Rag.Llm.Serving;
using Rag.Tokenizers;

namespace Rag.Llm.Generation;

/// <summary>Runs one request: prefill (one Run over the whole prompt), then one Run per new token until a stop rule
/// fires, streaming text deltas. Thread-safe: concurrent requests each get their own cache and binding, admitted
/// by the request gate.</summary>
public sealed class Generator(
    DecoderSession session,
    HfTokenizer tokenizer,
    IReadOnlyList<int> eosTokenIds,
    int contextLength,
    RequestGate gate,
    LlmMetrics metrics)
{
    private const int InitialAnswerRoom = 256;

    public int ContextLength => contextLength;

    /// <summary>Streams the continuation of <paramref name="prompt"/>. Each step runs when the consumer asks for
    /// more, so a cancelled or abandoned stream stops within one step and frees its cache at once.</summary>
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
        var clock = Stopwatch.StartNew();
        using (await gate.EnterAsync(cancellationToken))
        {
            stats.QueueWait = clock.Elapsed;
            try
            {
                foreach (var delta in Steps(prompt, options, stats, clock, cancellationToken))
                {
                    yield return delta;
                }
            }
            finally
            {
                // Neither a stop rule nor an error ended it: the caller cancelled or walked away.
                stats.FinishReason ??= FinishReason.Cancelled;
                metrics.Record(stats);
            }
        }
    }

    private IEnumerable<string> Steps(
        IReadOnlyList<int> prompt, GenerationOptions options, GenerationStats stats, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var promptIds = FitPrompt(prompt, options, stats);
        var budget = contextLength - promptIds.Length;
        var maxNew = Math.Min(options.MaxNewTokens ?? budget, budget);
        var capacity = promptIds.Length + maxNew;
        stats.PromptTokens = promptIds.Length;
        if (maxNew <= 0)
        {
            stats.FinishReason = FinishReason.Length;
            yield break;
        }

        // Room for the prompt and a first stretch of answer; a concat cache doubles from there when needed.
        using var state = session.CreateState(capacity, promptIds.Length + InitialAnswerRoom);
        var heldBytes = state.Cache.Bytes;
        stats.KvCacheBytes = heldBytes;
        metrics.CacheAllocated(heldBytes);
        // A cancelled request also aborts a Run in flight, so even a long prefill stops promptly.
        using var abort = cancellationToken.Register(static s => ((RunOptions)s!).Terminate = true, state.RunOptions);
        try
        {
            var vocab = session.VocabSize;
            var logits = new float[vocab];
            var history = new TokenHistory(vocab);
            history.AddPrompt(promptIds);
            var sampler = new Sampler(vocab);
            var random = options.Sampling.Seed is { } seed ? new Random(seed) : new Random();
            var stopCondition = new StopCondition(eosTokenIds, maxNew);
            var detokenizer = tokenizer.CreateStreamingDetokenizer();
            var stops = new StopStrings(options.StopSequences);

            var prefillStart = clock.Elapsed;
            Run(state, promptIds, logits, cancellationToken);
            stats.PrefillDuration = clock.Elapsed - prefillStart;

            TimeSpan firstToken = default;
            while (true)
            {
                var token = sampler.Sample(logits, options.Sampling, history, random);
                var sampledAt = clock.Elapsed;
                stats.SampledAt.Add(sampledAt);
                if (stats.CompletionTokens == 0)
                {
                    firstToken = sampledAt;
                    stats.TimeToFirstToken = firstToken;
                }
                stats.DecodeDuration = sampledAt - firstToken;
                if (stopCondition.IsEndOfSequence(token))
                {
                    stats.FinishReason = FinishReason.EndOfSequence;
                    break;
                }
                history.AddGenerated(token);
                stats.Tokens.Add(token);
                stats.CompletionTokens++;
                var text = stops.Push(detokenizer.Push(token));
                if (text.Length > 0)
                {
                    yield return text;
                }
                if (stops.Stopped)
                {
                    stats.FinishReason = FinishReason.StopSequence;
                    break;
                }
                if (stopCondition.IsLengthReached(stats.CompletionTokens))
                {
                    stats.FinishReason = FinishReason.Length;
                    break;
                }
                Run(state, new ReadOnlySpan<int>(in token), logits, cancellationToken);
                stats.DecodeModelTime = state.DecodeRunTime;
                if (state.Cache.Bytes != heldBytes)
                {
                    metrics.CacheAllocated(state.Cache.Bytes - heldBytes);
                    heldBytes = state.Cache.Bytes;
                    stats.KvCacheBytes = Math.Max(stats.KvCacheBytes, heldBytes);
                }
            }
            var rest = stops.Push(detokenizer.Flush()) + stops.Flush();
            if (rest.Length > 0)
            {
                yield return rest;
            }
        }
        finally
        {
            metrics.CacheFreed(heldBytes);
        }
    }

    private void Run(DecodeState state, ReadOnlySpan<int> tokens, Span<float> logits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            session.Run(state, tokens, logits);
        }
        catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Generation was cancelled during a model run.", e, cancellationToken);
        }
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
}
