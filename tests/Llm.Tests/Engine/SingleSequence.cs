using Rag.Llm.Engine;
using Rag.Llm.Onnx;

namespace Rag.Llm.Tests.Engine;

/// <summary>One sequence driven through the engine's own cache manager and executor, step by step: the reference the
/// batched runs are compared with.</summary>
internal sealed class SingleSequence : IDisposable
{
    private readonly KvCacheManager _cache;
    private readonly ModelExecutor _executor;
    private bool _joined;

    public SingleSequence(DecoderSession session, int capacity, int promptLength)
    {
        _cache = session.CreateCacheManager(1, capacity * 2L * session.Layout.NumLayers * 2 * session.Layout.BytesPerPosition, capacity);
        _executor = new ModelExecutor(session, _cache, capacity);
        Slot = _cache.TryAdmit(promptLength, capacity)!;
    }

    public KvSlot Slot { get; }

    /// <summary>Greedy decoding of <paramref name="prompt"/> alone: each step's logits and the token picked from them.</summary>
    public static (List<int> Tokens, List<float[]> Logits) Greedy(DecoderSession session, int capacity, int[] prompt, int steps)
    {
        using var sequence = new SingleSequence(session, capacity, prompt.Length);
        var logits = new float[session.VocabSize];
        var tokens = new List<int>();
        var seen = new List<float[]>();
        sequence.Run(prompt, logits);
        for (var step = 0; step < steps; step++)
        {
            seen.Add([.. logits]);
            tokens.Add(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits));
            if (step < steps - 1)
            {
                sequence.Run([tokens[^1]], logits);
            }
        }
        return (tokens, seen);
    }

    public int Position => Slot.Length;

    /// <summary>Prompt tokens (one Run, or several chunks with <see cref="Chunk"/>) until <see cref="Join"/>; then one
    /// decode token per call.</summary>
    public void Run(ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (_joined)
        {
            _executor.Decode([Slot], tokens, logits);
            return;
        }
        _executor.Prefill(Slot, tokens, logits);
        Join();
    }

    public void Chunk(ReadOnlySpan<int> tokens, Span<float> logits) => _executor.Prefill(Slot, tokens, logits);

    public void Join()
    {
        _cache.CompletePrefill(Slot);
        _joined = true;
    }

    public void Dispose()
    {
        _executor.Dispose();
        _cache.Dispose();
    }
}
