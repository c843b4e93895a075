using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Serving;

namespace Rag.Llm.Tests.Generation;

public sealed class GeneratorTests : IDisposable
{
    private readonly TestModel _model = new("optimum");

    private Rag.Tokenizers.HfTokenizer Tokenizer => _model.Tokenizer;

    private int[] Prompt(string text) => Tokenizer.Encode(text, addSpecialTokens: false);

    private async Task<(string Text, GenerationStats Stats, List<string> Deltas)> Run(
        Generator generator, string prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        var stats = new GenerationStats();
        var deltas = new List<string>();
        await foreach (var delta in generator.GenerateAsync(Prompt(prompt), options, stats, cancellationToken))
        {
            deltas.Add(delta);
        }
        return (string.Concat(deltas), stats, deltas);
    }

    [Fact]
    public async Task Greedy_generation_streams_the_reference_continuation()
    {
        var prompt = Prompt("the quick brown fox");
        var expected = TinyDecoders.Reference.Greedy([.. prompt.Select(t => (long)t)], 20);
        var generator = _model.Generator();

        var (text, stats, _) = await Run(generator, "the quick brown fox", new GenerationOptions { MaxNewTokens = 20 });

        Assert.Equal(Tokenizer.Decode([.. expected.Select(t => (int)t)]), text);
        Assert.Equal([.. expected.Select(t => (int)t)], stats.CompletionTokenIds);
        Assert.Equal((prompt.Length, 20, (FinishReason?)FinishReason.Length), (stats.PromptTokens, stats.CompletionTokens, stats.FinishReason));
    }

    [Fact]
    public async Task The_models_end_of_sequence_token_stops_and_is_not_emitted()
    {
        var free = await Run(_model.Generator(), "hello", new GenerationOptions { MaxNewTokens = 12 });
        var eos = free.Stats.CompletionTokenIds[5];
        var cut = free.Stats.CompletionTokenIds.ToList().IndexOf(eos);

        var stopped = await Run(_model.Generator(eos: [eos]), "hello", new GenerationOptions { MaxNewTokens = 12 });

        Assert.Equal(FinishReason.EndOfSequence, stopped.Stats.FinishReason);
        Assert.Equal(free.Stats.CompletionTokenIds.Take(cut), stopped.Stats.CompletionTokenIds);
        Assert.Equal(Tokenizer.Decode([.. free.Stats.CompletionTokenIds.Take(cut)]), stopped.Text);
    }

    [Fact]
    public async Task Stop_strings_cut_exactly_even_across_tokens()
    {
        var generator = _model.Generator();
        var free = await Run(generator, "once upon a time", new GenerationOptions { MaxNewTokens = 40 });
        // A stop that straddles the boundary between two deltas.
        var boundary = free.Deltas[0].Length + free.Deltas[1].Length + free.Deltas[2].Length;
        var stop = free.Text.Substring(boundary - 2, 4);
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await Run(generator, "once upon a time", new GenerationOptions { MaxNewTokens = 40, StopSequences = [stop] });

        Assert.Equal(expected, stopped.Text);
        Assert.Equal(FinishReason.StopSequence, stopped.Stats.FinishReason);
    }

    [Fact]
    public async Task Max_new_tokens_bounds_the_output()
    {
        var (_, stats, _) = await Run(_model.Generator(), "a", new GenerationOptions { MaxNewTokens = 7 });

        Assert.Equal(7, stats.CompletionTokens);
        Assert.Equal(FinishReason.Length, stats.FinishReason);
    }

    [Fact]
    public async Task The_context_window_ends_generation_and_an_oversized_prompt_fails_unless_truncation_is_allowed()
    {
        var generator = _model.Generator(contextLength: 32);
        var longPrompt = string.Join(' ', Enumerable.Repeat("words and more words", 20));

        var filled = await Run(generator, "a b c", new GenerationOptions());
        Assert.Equal(32, filled.Stats.PromptTokens + filled.Stats.CompletionTokens);
        Assert.Equal(FinishReason.Length, filled.Stats.FinishReason);

        var error = await Assert.ThrowsAsync<PromptTooLongException>(() => Run(generator, longPrompt, new GenerationOptions()));
        Assert.Contains("32", error.Message, StringComparison.Ordinal);

        var truncated = await Run(generator, longPrompt, new GenerationOptions { AllowTruncation = true, MaxNewTokens = 4 });
        Assert.Equal((28, 4), (truncated.Stats.PromptTokens, truncated.Stats.CompletionTokens));
        Assert.Equal(Prompt(longPrompt).Length - 28, truncated.Stats.TruncatedTokens);
    }

    [Fact]
    public async Task Seeded_sampling_reproduces()
    {
        var generator = _model.Generator();
        var options = new GenerationOptions { MaxNewTokens = 30, Sampling = new SamplingOptions { Temperature = 3f, Seed = 99 } };

        var first = await Run(generator, "seed", options);
        var second = await Run(generator, "seed", options);
        // The untrained model favours one token heavily, so a single other seed may well draw the same 30 tokens.
        var others = new List<IReadOnlyList<int>>();
        foreach (var seed in Enumerable.Range(100, 10))
        {
            others.Add((await Run(generator, "seed", options with { Sampling = options.Sampling with { Seed = seed } })).Stats.CompletionTokenIds);
        }

        Assert.Equal(first.Stats.CompletionTokenIds, second.Stats.CompletionTokenIds);
        Assert.Contains(others, o => !o.SequenceEqual(first.Stats.CompletionTokenIds));
    }

    [Fact]
    public async Task Streaming_never_splits_a_multi_byte_character_and_loses_nothing()
    {
        var generator = _model.Generator();
        // Random weights at a high temperature pick raw byte tokens; take the first seed whose output holds a
        // character that arrived as several byte tokens.
        foreach (var seed in Enumerable.Range(1, 40))
        {
            var options = new GenerationOptions { MaxNewTokens = 200, Sampling = new SamplingOptions { Temperature = 4f, Seed = seed } };
            var (text, stats, deltas) = await Run(generator, "bytes", options);

            // A character emitted in pieces would show up as U+FFFD here where the whole decode has the character.
            Assert.Equal(Tokenizer.Decode([.. stats.CompletionTokenIds]), text);
            Assert.All(deltas, d => Assert.False(char.IsHighSurrogate(d[^1])));
            if (text.Any(c => c > '\u007f' && c != '\uFFFD'))
            {
                Assert.True(deltas.Count < stats.CompletionTokens);
                return;
            }
        }
        Assert.Fail("No seed produced a multi-byte character.");
    }

    [Fact]
    public async Task Cancellation_stops_within_one_step_and_frees_the_cache()
    {
        using var model = TinyDecoders.SlowModel();
        var generator = model.Generator(maxConcurrent: 1, contextLength: 1024);
        using var cancel = new CancellationTokenSource();
        var stats = new GenerationStats();
        // Counted after the cancel is flagged: the engine thread keeps stepping until then, so only the step already
        // under way may still add a token.
        var watch = CancelWatch.CancelAfter(stats, 3, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in generator.GenerateAsync(model.Tokenizer.Encode("cancel me", addSpecialTokens: false), new GenerationOptions { MaxNewTokens = 1000 }, stats, cancel.Token))
            {
            }
        });
        var countedAfterCancel = await watch;

        Assert.Equal(FinishReason.Cancelled, stats.FinishReason);
        Assert.InRange(stats.CompletionTokens, countedAfterCancel, countedAfterCancel + 1);
        AssertEngineEmpties(model.LastEngine!);
    }

    [Fact]
    public async Task Leaving_the_stream_early_frees_the_cache()
    {
        var generator = _model.Generator();

        await foreach (var _ in generator.GenerateAsync(Prompt("stop reading"), new GenerationOptions { MaxNewTokens = 200 }))
        {
            break;
        }

        AssertEngineEmpties();
    }

    [Fact]
    public async Task Concurrent_requests_give_the_same_greedy_output_as_sequential_ones()
    {
        var generator = _model.Generator(maxConcurrent: 3, maxQueued: 8);
        string[] prompts = ["alpha", "beta gamma", "delta epsilon zeta", "eta", "theta iota", "kappa"];
        var options = new GenerationOptions { MaxNewTokens = 16 };
        var sequential = new List<string>();
        foreach (var prompt in prompts)
        {
            sequential.Add((await Run(generator, prompt, options)).Text);
        }

        var concurrent = await Task.WhenAll(prompts.Select(p => Task.Run(() => Run(generator, p, options))));

        Assert.Equal(sequential, concurrent.Select(r => r.Text));
    }

    [Fact]
    public async Task Stats_and_metrics_report_tokens_and_rates()
    {
        var recorded = new Dictionary<string, double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LlmMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => { lock (recorded) { recorded[i.Name] = recorded.GetValueOrDefault(i.Name) + value; } });
        listener.SetMeasurementEventCallback<int>((i, value, _, _) => { lock (recorded) { recorded[i.Name] = value; } });
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => { lock (recorded) { recorded[i.Name] = value; } });
        listener.Start();

        var (_, stats, _) = await Run(_model.Generator(), "measure this", new GenerationOptions { MaxNewTokens = 10 });

        Assert.True(stats.TimeToFirstToken > TimeSpan.Zero && stats.PrefillTokensPerSecond > 0 && stats.DecodeTokensPerSecond > 0);
        Assert.True(stats.KvCacheBytes > 0);
        Assert.InRange(stats.DecodeModelTime, TimeSpan.FromTicks(1), stats.DecodeDuration);
        Assert.Equal(10, stats.TokenTimes.Count);
        Assert.Equal(stats.PromptTokens, recorded["rag.llm.prompt_tokens"]);
        Assert.Equal(10, recorded["rag.llm.completion_tokens"]);
        AssertEngineEmpties();
        listener.RecordObservableInstruments();
        Assert.Equal(1, recorded["rag.llm.batch_size"]);
        Assert.Contains("rag.llm.prefill_tokens_per_step", recorded.Keys);
        Assert.Equal(0, recorded["rag.llm.running_sequences"]);
        Assert.Contains("rag.llm.time_to_first_token", recorded.Keys);
        Assert.Contains("rag.llm.decode_tokens_per_second", recorded.Keys);
    }

    /// <summary>The engine retires a sequence on its own thread: wait (generously) until it has.</summary>
    private void AssertEngineEmpties() => AssertEngineEmpties(_model.LastEngine!);

    private static void AssertEngineEmpties(EngineLoop engine)
    {
        Assert.True(SpinWait.SpinUntil(() => engine.Running == 0 && engine.KvBytesReserved == 0, TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _model.Dispose();
}
