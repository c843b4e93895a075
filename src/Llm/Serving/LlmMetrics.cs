using System.Diagnostics.Metrics;
using Rag.Llm.Engine;
using Rag.Llm.Generation;

namespace Rag.Llm.Serving;

/// <summary>The "Rag.Llm" meter: token counts, time to first token, prefill and decode rates; the engine's running and
/// waiting sequences, batch size and prefill tokens per step, KV-cache bytes reserved and budgeted.</summary>
public sealed class LlmMetrics : IDisposable
{
    public const string MeterName = "Rag.Llm";

    private readonly Meter _meter;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _completionTokens;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _prefillRate;
    private readonly Histogram<double> _decodeRate;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<int> _prefillTokens;
    private readonly Counter<long> _prefixLookupTokens;
    private readonly Counter<long> _prefixHitTokens;

    public LlmMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _promptTokens = _meter.CreateCounter<long>("rag.llm.prompt_tokens", "{token}");
        _completionTokens = _meter.CreateCounter<long>("rag.llm.completion_tokens", "{token}");
        _timeToFirstToken = _meter.CreateHistogram<double>("rag.llm.time_to_first_token", "s");
        _prefillRate = _meter.CreateHistogram<double>("rag.llm.prefill_tokens_per_second", "{token}/s");
        _decodeRate = _meter.CreateHistogram<double>("rag.llm.decode_tokens_per_second", "{token}/s");
        _batchSize = _meter.CreateHistogram<int>("rag.llm.batch_size", "{sequence}", "Sequences advanced by one decode Run");
        _prefillTokens = _meter.CreateHistogram<int>("rag.llm.prefill_tokens_per_step", "{token}", "Prompt tokens run in one prefill chunk");
        // Hit rate = hit tokens ÷ lookup tokens.
        _prefixLookupTokens = _meter.CreateCounter<long>("rag.llm.prefix_cache_lookup_tokens", "{token}", "Prompt tokens of admitted sequences");
        _prefixHitTokens = _meter.CreateCounter<long>("rag.llm.prefix_cache_hit_tokens", "{token}", "Prompt tokens copied from the prefix cache");
    }

    /// <summary>Publishes <paramref name="engine"/>'s state as gauges.</summary>
    internal void ObserveEngine(EngineLoop engine)
    {
        _meter.CreateObservableGauge("rag.llm.running_sequences", () => engine.Running, "{sequence}", "Sequences holding KV-cache space");
        _meter.CreateObservableGauge("rag.llm.waiting_sequences", () => engine.Waiting, "{sequence}", "Requests waiting for KV-cache space");
        _meter.CreateObservableGauge("rag.llm.kv_cache_bytes", () => engine.KvBytesReserved, "By", "KV-cache bytes reserved by running sequences");
        _meter.CreateObservableGauge("rag.llm.kv_cache_budget_bytes", () => engine.KvBytesBudget, "By", "Llm:KvCacheBytes");
        _meter.CreateObservableGauge("rag.llm.prefix_cache_bytes", () => engine.PrefixCacheBytes, "By", "KV bytes the prefix cache holds");
    }

    internal void RecordPrefixLookup(int promptTokens, int cachedTokens)
    {
        _prefixLookupTokens.Add(promptTokens);
        _prefixHitTokens.Add(cachedTokens);
    }

    /// <summary>One engine step: the decode batch's size and the prefill chunk's tokens (0 when absent).</summary>
    internal void RecordStep(int batchSize, int prefillTokens)
    {
        if (batchSize > 0)
        {
            _batchSize.Record(batchSize);
        }
        if (prefillTokens > 0)
        {
            _prefillTokens.Record(prefillTokens);
        }
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
