using System.Diagnostics;
using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Loading;
using Rag.Llm.Onnx;
using Rag.Llm.Serving;
using Rag.Tokenizers;

namespace Rag.Llm.Bench;

/// <summary>Prefill, cached decode, decode by recomputation, engine overhead over a bare RunWithBinding, and the
/// memory-bandwidth roofline, all on one loaded model in one process.</summary>
internal sealed class DecodeBenchmark(string folder, bool quick)
{
    private const int Context = 4096;
    private readonly int _steps = quick ? 8 : 32;
    private readonly int _repeats = quick ? 1 : 3;

    public Dictionary<string, object> Run()
    {
        var model = ModelFolder.Open(folder);
        using var session = DecoderSession.Load(model, ExecutionPlan.From("cpu", 0));
        var tokenizer = HfTokenizer.Load(folder);
        using var metrics = new LlmMetrics();
        using var loop = new EngineLoop(session, EngineSetup.Settings(session, sequences: 1, Context), metrics);
        var generator = new Generator(loop, tokenizer, [], Context, session.VocabSize, metrics);
        int[] prefillLengths = quick ? [128, 512] : [128, 512, 2048];
        int[] decodeContexts = quick ? [64, 512] : [64, 512, 1024, 2048];
        int[] recomputeContexts = quick ? [64, 512, 1024] : [64, 512, 1024, 2048];

        Warm(generator, session.VocabSize);
        var figures = new Dictionary<string, object>
        {
            ["model"] = folder,
            ["mode"] = quick ? "quick" : "full",
            ["layout"] = session.Layout.Kv.ToString(),
            ["threads"] = Environment.ProcessorCount,
        };

        foreach (var n in prefillLengths)
        {
            var stats = Best(() => Generate(generator, n, 1, session.VocabSize), s => s.TimeToFirstToken);
            figures[$"ttft_ms_{n}"] = Round(stats.TimeToFirstToken.TotalMilliseconds);
            figures[$"prefill_tok_s_{n}"] = Round(stats.PrefillTokensPerSecond);
        }

        var cached = new Dictionary<int, double>();
        foreach (var context in decodeContexts)
        {
            // Engine and bare runs alternate so both see the same background load; medians of single steps
            // keep a busy machine's stalls out of both.
            using var bareStep = new BareRun(session, context + (_steps / 2));
            var engineSteps = new List<double>();
            var bareSteps = new List<double>();
            var aroundRun = new List<double>();
            for (var r = 0; r < _repeats; r++)
            {
                var stats = Generate(generator, context, _steps + 1, session.VocabSize);
                var times = stats.TokenTimes;
                engineSteps.AddRange(Enumerable.Range(1, times.Count - 1).Select(i => (times[i] - times[i - 1]).TotalMilliseconds));
                // Measured inside the same steps, so background load cancels out of this ratio.
                aroundRun.Add((stats.DecodeDuration - stats.DecodeModelTime) / stats.DecodeModelTime);
                bareSteps.AddRange(bareStep.Milliseconds(_steps));
            }
            var engine = BenchRequests.Median(engineSteps);
            var bare = BenchRequests.Median(bareSteps);
            cached[context] = engine;
            figures[$"decode_ms_per_token_cached_{context}"] = Round(engine);
            figures[$"bare_run_ms_{context}"] = Round(bare);
            figures[$"engine_overhead_{context}"] = Round((engine / bare) - 1, 4);
            figures[$"engine_time_outside_run_{context}"] = Round(aroundRun.Min(), 4);
        }

        var (allocatedPerToken, textPerToken) = AllocatedBytesPerToken(generator, session.VocabSize);
        figures["decode_allocated_bytes_per_token"] = Round(allocatedPerToken);
        figures["decode_text_bytes_per_token"] = Round(textPerToken);

        var recompute = new Dictionary<int, double>();
        foreach (var context in recomputeContexts)
        {
            recompute[context] = Enumerable.Range(0, Math.Min(_repeats, 2)).Min(_ => RecomputeMilliseconds(session, context));
            figures[$"decode_ms_per_token_recompute_{context}"] = Round(recompute[context]);
        }

        var weightBytes = Directory.EnumerateFiles(Path.GetDirectoryName(model.DecoderPath)!)
            .Where(f => f.StartsWith(model.DecoderPath, StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        var bandwidth = Bandwidth.MeasureBytesPerSecond(quick ? 3 : 8);
        var rooflineTokS = bandwidth / weightBytes;
        var decodeTokS = 1000 / cached[64];
        var longest = decodeContexts[^1];
        var cachedAt1024 = cached.TryGetValue(1024, out var exact) ? exact : Interpolate(cached, 1024);

        figures["weight_bytes"] = weightBytes;
        figures["bandwidth_gb_s"] = Round(bandwidth / 1e9);
        figures["roofline_tok_s"] = Round(rooflineTokS);
        figures["decode_tok_s_64"] = Round(decodeTokS);
        figures["ratio_roofline"] = Round(decodeTokS / rooflineTokS, 4);
        figures[$"ratio_decode_{longest}_over_64"] = Round(cached[longest] / cached[64], 4);
        figures["ratio_recompute_over_cached_1024"] = Round(recompute[1024] / cachedAt1024, 2);
        figures["engine_overhead_max"] = decodeContexts.Max(c => (double)figures[$"engine_overhead_{c}"]);
        figures["engine_time_outside_run_max"] = decodeContexts.Max(c => (double)figures[$"engine_time_outside_run_{c}"]);
        return figures;
    }

    private static void Warm(Generator generator, int vocab) => Generate(generator, 16, 4, vocab);

    private static GenerationStats Generate(Generator generator, int promptTokens, int newTokens, int vocab) =>
        Generate(generator, promptTokens, newTokens, vocab, out _);

    /// <param name="textBytes">The size of the streamed text strings: a 24-byte header (64-bit) plus two bytes a character.</param>
    private static GenerationStats Generate(Generator generator, int promptTokens, int newTokens, int vocab, out long textBytes)
    {
        var random = new Random(promptTokens);
        var prompt = Enumerable.Range(0, promptTokens).Select(_ => random.Next(vocab)).ToArray();
        var stats = new GenerationStats();
        var options = new GenerationOptions { MaxNewTokens = newTokens };
        textBytes = Task.Run(async () =>
        {
            long bytes = 0;
            await foreach (var text in generator.GenerateAsync(prompt, options, stats))
            {
                bytes += 24 + (2L * text.Length);
            }
            return bytes;
        }).GetAwaiter().GetResult();
        return stats;
    }

    /// <summary>
    /// Managed bytes per decoded token, over the whole process: two generations from the same prompt, of 8 and 72 new
    /// tokens, differenced so that prefill and per-request costs cancel. Alongside, the bytes of the text strings the
    /// generator streams per token (its output, which the caller keeps), for comparison.
    /// </summary>
    private static (double Allocated, double Text) AllocatedBytesPerToken(Generator generator, int vocab)
    {
        (long Bytes, long TextBytes) Measure(int newTokens)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            Generate(generator, 64, newTokens, vocab, out var textBytes);
            return (GC.GetTotalAllocatedBytes(precise: true) - before, textBytes);
        }
        Measure(8);
        var few = Measure(8);
        var many = Measure(72);
        return ((double)(many.Bytes - few.Bytes) / 64, (double)(many.TextBytes - few.TextBytes) / 64);
    }

    private GenerationStats Best(Func<GenerationStats> run, Func<GenerationStats, TimeSpan> key) =>
        Enumerable.Range(0, _repeats).Select(_ => run()).MinBy(key)!;

    /// <summary>One step without a cache: the whole sequence runs again (a prefill of <paramref name="context"/> tokens).</summary>
    private static double RecomputeMilliseconds(DecoderSession session, int context)
    {
        var tokens = Enumerable.Range(0, context).Select(i => (i * 7919) % session.VocabSize).ToArray();
        var logits = new float[session.VocabSize];
        using var cache = session.CreateCacheManager(1, EngineSetup.KvBytes(session, 1, context), context);
        using var executor = new ModelExecutor(session, cache, context);
        var slot = cache.TryAdmit(context, context)!;
        var clock = Stopwatch.StartNew();
        executor.Prefill(slot, tokens, logits);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Interpolate(Dictionary<int, double> byContext, int context)
    {
        var below = byContext.Keys.Where(k => k <= context).Max();
        var above = byContext.Keys.Where(k => k >= context).DefaultIfEmpty(below).Min();
        return above == below ? byContext[below]
            : byContext[below] + ((byContext[above] - byContext[below]) * (context - below) / (above - below));
    }

    private static double Round(double value, int digits = 2) => Math.Round(value, digits);
}
