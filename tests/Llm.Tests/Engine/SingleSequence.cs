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
