using System.Diagnostics.Metrics;
using Rag.Llm.Generation;

namespace Rag.Llm.Serving;

/// <summary>The "Rag.Llm" meter: token counts, time to first token, prefill and decode rates, KV-cache bytes in use.</summary>
public sealed class LlmMetrics : IDisposable
{
    public const string MeterName = "Rag.Llm";

    private readonly Meter _meter;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _completionTokens;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _prefillRate;
    private readonly Histogram<double> _decodeRate;
    private readonly UpDownCounter<long> _kvCacheBytes;
    private long _kvBytesInUse;

    public LlmMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _promptTokens = _meter.CreateCounter<long>("rag.llm.prompt_tokens", "{token}");
        _completionTokens = _meter.CreateCounter<long>("rag.llm.completion_tokens", "{token}");
        _timeToFirstToken = _meter.CreateHistogram<double>("rag.llm.time_to_first_token", "s");
        _prefillRate = _meter.CreateHistogram<double>("rag.llm.prefill_tokens_per_second", "{token}/s");
        _decodeRate = _meter.CreateHistogram<double>("rag.llm.decode_tokens_per_second", "{token}/s");
        _kvCacheBytes = _meter.CreateUpDownCounter<long>("rag.llm.kv_cache_bytes", "By", "KV-cache memory held by running requests");
    }

    /// <summary>KV-cache bytes currently held by running requests.</summary>
    public long KvCacheBytesInUse => Interlocked.Read(ref _kvBytesInUse);

    internal void CacheAllocated(long bytes)
    {
        Interlocked.Add(ref _kvBytesInUse, bytes);
        _kvCacheBytes.Add(bytes);
    }

    internal void CacheFreed(long bytes)
    {
        Interlocked.Add(ref _kvBytesInUse, -bytes);
        _kvCacheBytes.Add(-bytes);
    }

    internal void Record(GenerationStats stats)
    {
        _promptTokens.Add(stats.PromptTokens);
        _completionTokens.Add(stats.CompletionTokens);
        if (stats.CompletionTokens > 0)
        {
            _timeToFirstToken.Record(stats.TimeToFirstToken.TotalSeconds);
            _prefillRate.Record(stats.PrefillTokensPerSecond);
        }
        if (stats.CompletionTokens > 1)
        {
            _decodeRate.Record(stats.DecodeTokensPerSecond);
        }
    }

    public void Dispose() => _meter.Dispose();
}
