using System.Diagnostics;
using System.Runtime.CompilerServices;
using Rag.Llm.Engine;
using Rag.Llm.Serving;
using Rag.Tokenizers;

namespace Rag.Llm.Generation;

/// <summary>Streams one request's continuation: fits the prompt to the context window, hands it to the model's
/// <see cref="EngineLoop"/> (which batches it with every other running request) and relays the text the engine
/// produces. Thread-safe.</summary>
public sealed class Generator(
    EngineLoop engine,
    HfTokenizer tokenizer,
    IReadOnlyList<int> eosTokenIds,
    int contextLength,
    int vocabSize,
    LlmMetrics metrics)
{
    public int ContextLength => contextLength;

    /// <summary>Streams the continuation of <paramref name="prompt"/>. A full queue throws
    /// <see cref="LlmBusyException"/>; a cancelled or abandoned stream is retired within one engine step and its KV
    /// space freed at once.</summary>
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
        var promptIds = FitPrompt(prompt, options, stats);
        var budget = contextLength - promptIds.Length;
        var maxNew = Math.Min(options.MaxNewTokens ?? budget, budget);
        stats.PromptTokens = promptIds.Length;
        if (maxNew <= 0)
        {
            stats.FinishReason = FinishReason.Length;
            metrics.Record(stats);
            yield break;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var sequence = new Sequence(promptIds, maxNew, options, stats, clock, vocabSize, tokenizer, eosTokenIds);
        engine.Submit(sequence);
        try
        {
            using var cancel = cancellationToken.Register(static s =>
            {
                var (sequence, engine) = ((Sequence, EngineLoop))s!;
                sequence.Cancel();
                engine.Wake();
            }, (sequence, engine));
            await foreach (var delta in sequence.Output.ReadAllAsync(cancellationToken))
            {
                yield return delta;
            }
        }
        finally
        {
            if (stats.FinishReason is null)
            {
                // Neither a stop rule nor an error ended it: the caller cancelled or walked away.
                sequence.Cancel();
                engine.Wake();
                stats.FinishReason = FinishReason.Cancelled;
            }
            metrics.Record(stats);
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
