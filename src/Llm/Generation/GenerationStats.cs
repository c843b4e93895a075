namespace Rag.Llm.Generation;

/// <summary>Figures of one generation, filled in as it runs and complete when its stream ends.</summary>
public sealed class GenerationStats
{
    public int PromptTokens { get; internal set; }
    public int CompletionTokens { get; internal set; }
    /// <summary>Prompt tokens dropped from the front to fit the context window.</summary>
    public int TruncatedTokens { get; internal set; }
    /// <summary>Prompt tokens whose keys and values came from the prefix cache instead of a prefill Run.</summary>
    public int CachedPromptTokens { get; internal set; }
    public TimeSpan QueueWait { get; internal set; }
    /// <summary>From the request's start (queue wait included) to its first sampled token.</summary>
    public TimeSpan TimeToFirstToken { get; internal set; }
    public TimeSpan PrefillDuration { get; internal set; }
    /// <summary>From the first sampled token to the last.</summary>
    public TimeSpan DecodeDuration { get; internal set; }
    /// <summary>Most KV-cache bytes the request held at once.</summary>
    public long KvCacheBytes { get; internal set; }
    /// <summary>The part of <see cref="DecodeDuration"/> spent inside ONNX Runtime; the rest is the engine's own.</summary>
    public TimeSpan DecodeModelTime { get; internal set; }
    public FinishReason? FinishReason { get; internal set; }

    /// <summary>The sampled ids, end-of-sequence excluded.</summary>
    public IReadOnlyList<int> CompletionTokenIds => Tokens;

    internal List<int> Tokens { get; } = [];

    /// <summary>When each sampled token was picked, from the request's start: their differences are the
    /// inter-token latencies.</summary>
    public IReadOnlyList<TimeSpan> TokenTimes => SampledAt;

    internal List<TimeSpan> SampledAt { get; } = [];

    public double PrefillTokensPerSecond => Rate(PromptTokens, PrefillDuration);

    /// <summary>Tokens after the first (which the prefill produced) over the time spent decoding them.</summary>
    public double DecodeTokensPerSecond => Rate(CompletionTokens - 1, DecodeDuration);

    private static double Rate(int tokens, TimeSpan duration) =>
        tokens > 0 && duration > TimeSpan.Zero ? tokens / duration.TotalSeconds : 0;
}
