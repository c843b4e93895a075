using System.Diagnostics;
using System.Threading.Channels;
using Rag.Llm.Generation;
using Rag.Tokenizers;

namespace Rag.Llm.Engine;

/// <summary>One request inside the engine: its prompt, where it is (waiting, prefilling, decoding), its sampling
/// state and stop rules, and the channel its text goes out through. Written by the engine's thread; the request's
/// own thread only reads <see cref="Output"/> and may <see cref="Cancel"/>.</summary>
internal sealed class Sequence
{
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly GenerationOptions _options;
    private readonly GenerationStats _stats;
    private readonly Stopwatch _clock;
    private readonly Sampler _sampler;
    private readonly TokenHistory _history;
    private readonly Random _random;
    private readonly StopCondition _stopCondition;
    private readonly StreamingDetokenizer _detokenizer;
    private readonly StopStrings _stops;
    private TimeSpan _prefillStart;
    private TimeSpan _firstToken;
    private int _cancelled;

    public Sequence(int[] prompt, int maxNewTokens, GenerationOptions options, GenerationStats stats, Stopwatch clock,
        int vocabSize, HfTokenizer tokenizer, IReadOnlyList<int> eosTokenIds)
    {
        Prompt = prompt;
        Capacity = prompt.Length + maxNewTokens;
        _options = options;
        _stats = stats;
        _clock = clock;
        _sampler = new Sampler(vocabSize);
        _history = new TokenHistory(vocabSize);
        _history.AddPrompt(prompt);
        _random = options.Sampling.Seed is { } seed ? new Random(seed) : new Random();
        _stopCondition = new StopCondition(eosTokenIds, maxNewTokens);
        _detokenizer = tokenizer.CreateStreamingDetokenizer();
        _stops = new StopStrings(options.StopSequences);
    }

    public int[] Prompt { get; }

    /// <summary>Positions it may reach: prompt plus new-token budget.</summary>
    public int Capacity { get; }

    /// <summary>Its KV placement from admission to retirement.</summary>
    public KvSlot? Slot { get; private set; }

    /// <summary>Prompt tokens already run.</summary>
    public int Prefilled { get; private set; }

    public bool IsPrefilled => Prefilled == Prompt.Length;

    /// <summary>The last sampled token: the input of its next decode step.</summary>
    public int NextToken { get; private set; }

    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0;

    public ChannelReader<string> Output => _output.Reader;

    public void Cancel() => Volatile.Write(ref _cancelled, 1);

    /// <summary>Admits it into <paramref name="slot"/>, whose first <paramref name="cachedTokens"/> positions the prefix
    /// cache already filled.</summary>
    public void Admit(KvSlot slot, int cachedTokens)
    {
        Slot = slot;
        Prefilled = cachedTokens;
        _stats.CachedPromptTokens = cachedTokens;
        _stats.QueueWait = _clock.Elapsed;
        _stats.KvCacheBytes = slot.ReservedBytes;
        _prefillStart = _clock.Elapsed;
    }

    public void Prefill(int tokens) => Prefilled += tokens;

    public void AddDecodeRunTime(TimeSpan time) => _stats.DecodeModelTime += time;

    /// <summary>Samples the next token from <paramref name="logits"/> (modified in place), streams its text and applies
    /// the stop rules; true when the sequence has ended (and its output is complete).</summary>
    public bool Accept(Span<float> logits)
    {
        var token = _sampler.Sample(logits, _options.Sampling, _history, _random);
        var sampledAt = _clock.Elapsed;
        _stats.SampledAt.Add(sampledAt);
        if (_stats.CompletionTokens == 0)
        {
            _firstToken = sampledAt;
            _stats.TimeToFirstToken = sampledAt;
            _stats.PrefillDuration = sampledAt - _prefillStart;
        }
        _stats.DecodeDuration = sampledAt - _firstToken;
        if (_stopCondition.IsEndOfSequence(token))
        {
            return Complete(FinishReason.EndOfSequence);
        }
        _history.AddGenerated(token);
        _stats.Tokens.Add(token);
        _stats.CompletionTokens++;
        Write(_stops.Push(_detokenizer.Push(token)));
        if (_stops.Stopped)
        {
            return Complete(FinishReason.StopSequence);
        }
        if (_stopCondition.IsLengthReached(_stats.CompletionTokens))
        {
            return Complete(FinishReason.Length);
        }
        NextToken = token;
        return false;
    }

    /// <summary>Ends the output without more text: cancelled (the reader stopped waiting) or failed.</summary>
    public void Abort(Exception? error)
    {
        Slot = null;
        _output.Writer.TryComplete(error);
    }

    private bool Complete(FinishReason reason)
    {
        Write(_stops.Push(_detokenizer.Flush()) + _stops.Flush());
        _stats.FinishReason = reason;
        _output.Writer.TryComplete();
        return true;
    }

    private void Write(string text)
    {
        if (text.Length > 0)
        {
            _output.Writer.TryWrite(text);
        }
    }
}
