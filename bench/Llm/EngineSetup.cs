using Rag.Llm.Engine;
using Rag.Llm.Onnx;

namespace Rag.Llm.Bench;

/// <summary>Engine sizes for the benchmarks: room for exactly the sequences a figure needs at its context.</summary>
internal static class EngineSetup
{
    /// <summary>Bytes for <paramref name="sequences"/> full-context sequences (both concat buffers counted).</summary>
    public static long KvBytes(DecoderSession session, int sequences, int context) =>
        sequences * 2L * context * session.Layout.NumLayers * 2 * session.Layout.BytesPerPosition;

    public static EngineSettings Settings(DecoderSession session, int sequences, int context, int prefillChunkTokens = 0) =>
        new(sequences, KvBytes(session, sequences, context), context, MaxQueued: 64, prefillChunkTokens);
}
