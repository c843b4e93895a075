namespace Rag.Llm.Engine;

/// <summary>How one engine is sized: batch rows at most, the KV budget, the longest sequence (the context window),
/// requests that may wait, and prompt tokens per prefill chunk (0: a whole prompt in one Run).</summary>
public sealed record EngineSettings(int MaxSequences, long KvCacheBytes, int ContextLength, int MaxQueued, int PrefillChunkTokens);
