namespace Rag.Llm.Engine;

/// <summary>How one engine is sized: batch rows at most, the KV budget, the longest sequence (the context window),
/// requests that may wait, prompt tokens per prefill chunk (0: a whole prompt in one Run), and the prefix cache's
/// budget (0: off) and block size.</summary>
public sealed record EngineSettings(int MaxSequences, long KvCacheBytes, int ContextLength, int MaxQueued, int PrefillChunkTokens,
    long PrefixCacheBytes = 0, int PrefixBlockTokens = 32);
