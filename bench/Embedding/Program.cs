using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rag.Embedding;
using Rag.Embedding.Batching;
using Rag.Embedding.Bench;

// Usage: dotnet run -c Release --project bench/Embedding -- [--model <sentence-transformers folder>] [--texts 2000] [--threads 0]
//        [--max-batch-wait-ms 2] [--coalescing-only]
// Without --model it forges a minilm-l6-shaped encoder (random weights, real tensor sizes) once and reuses it.
// The machine may be shared: every comparison interleaves its two sides in small slices, so a change in load
// hits both sides alike instead of whichever ran second.
var arguments = BenchArguments.Parse(args);
var options = new EmbeddingOptions { ModelPath = arguments.Model, IntraOpThreads = arguments.Threads, MaxBatchTokens = arguments.MaxBatchTokens };
if (arguments.MaxBatchWaitMs is { } maxWait)
{
    options.MaxBatchWait = TimeSpan.FromMilliseconds(maxWait);
}
using var batchSizes = new BatchSizes();
using var generator = OnnxEmbeddingGenerator.Load(options);
var model = (EmbeddingModel)generator.GetService(typeof(EmbeddingModel))!;
var texts = BenchTexts.Generate(Path.Combine(arguments.Model, "vocab.txt"), arguments.Texts, 10, 300, seed: 42);
var tokenizing = Stopwatch.StartNew();
var encoded = texts.Select(model.Encode).ToArray();
var tokenizeSeconds = tokenizing.Elapsed.TotalSeconds;
var tokens = encoded.Sum(e => e.Length);
var plan = BatchPlanner.Plan([.. encoded.Select(e => e.Length)], options.MaxBatchTokens);
var sortedBatches = plan.Batches.Select(b => plan.Order[b]).ToArray();
var fixedBatches = Enumerable.Range(0, (encoded.Length + arguments.FixedBatch - 1) / arguments.FixedBatch)
    .Select(b => Enumerable.Range(b * arguments.FixedBatch, Math.Min(arguments.FixedBatch, encoded.Length - b * arguments.FixedBatch)).ToArray())
    .ToArray();
using var bare = new BareRuns(model.Folder.OnnxFile, arguments.Threads, model.Signature, encoded, plan);

// Warm-up on the longest texts, so both sessions' arenas have grown to the largest batch before any clock runs.
await generator.GenerateAsync([.. plan.Order.Take(100).Select(i => texts[i])]);
bare.WarmUp();

// 1. The whole pipeline (tokenize, queue, batch, run, pool) on all texts in one call: throughput.
var pipeline = arguments.CoalescingOnly ? double.NaN : await Timed.Async("pipeline", () => generator.GenerateAsync(texts));

// 2 and 3, interleaved in slices: per sorted batch, bare InferenceSession.Run and our EmbeddingModel.Embed (order
// alternating); after each slice of the sorted plan, the same share of fixed-size batches in input order.
var clock = new Stopwatch();
double bareSeconds = 0, embedSeconds = 0, fixedSeconds = 0;
// Managed bytes EmbeddingModel.Embed allocates per sorted batch (this thread; ONNX Runtime's own threads allocate
// native memory only): the hot path should cost the same small amount whatever the batch's token count.
var embedAllocations = new long[sortedBatches.Length];
var slices = arguments.CoalescingOnly ? 0 : 20;
for (var slice = 0; slice < slices; slice++)
{
    for (var b = slice * sortedBatches.Length / slices; b < (slice + 1) * sortedBatches.Length / slices; b++)
    {
        if (b % 2 == 0)
        {
            bareSeconds += Time(() => bare.Run(b));
            embedSeconds += Time(() => embedAllocations[b] = Embed(sortedBatches[b]));
        }
        else
        {
            embedSeconds += Time(() => embedAllocations[b] = Embed(sortedBatches[b]));
            bareSeconds += Time(() => bare.Run(b));
        }
    }
    for (var b = slice * fixedBatches.Length / slices; b < (slice + 1) * fixedBatches.Length / slices; b++)
    {
        fixedSeconds += Time(() => _ = Embed(fixedBatches[b]));
    }
    Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} slice {slice + 1}/{slices}: bare {bareSeconds:F1} s, embed {embedSeconds:F1} s, fixed {fixedSeconds:F1} s");
}

// 4. 16 callers with one text per call, in rounds: 16 calls one after another, then 16 concurrent calls (coalesced by
//    the queue), alternating which goes first; on texts like the corpus (10–300 tokens) and query-like ones (10–30).
var callCount = arguments.Callers * arguments.CallsPerCaller;
var (oneByOne, concurrent, mixedSizes) = await Coalescing("mixed", texts[..callCount]);
var shortTexts = BenchTexts.Generate(Path.Combine(arguments.Model, "vocab.txt"), callCount, 10, 30, seed: 7);
var (shortOneByOne, shortConcurrent, shortSizes) = await Coalescing("short", shortTexts);

var batchTokens = sortedBatches.Select(members => members.Sum(i => encoded[i].Length)).ToArray();
var fewestTokens = Array.IndexOf(batchTokens, batchTokens.Min());
var mostTokens = Array.IndexOf(batchTokens, batchTokens.Max());

var figures = new
{
    model = model.ModelId,
    dimension = model.Dimension,
    texts = texts.Length,
    tokens,
    max_batch_tokens = options.MaxBatchTokens,
    batches = plan.Batches.Count,
    intra_op_threads = arguments.Threads,
    max_batch_wait_ms = options.MaxBatchWait.TotalMilliseconds,
    pipeline_seconds = pipeline,
    pipeline_texts_per_second = texts.Length / pipeline,
    pipeline_tokens_per_second = tokens / pipeline,
    tokenize_seconds = tokenizeSeconds,
    bare_run_seconds = bareSeconds,
    embed_seconds = embedSeconds,
    embed_overhead = embedSeconds / bareSeconds - 1,
    pipeline_overhead = (embedSeconds + tokenizeSeconds) / bareSeconds - 1,
    embed_allocated_bytes_per_token = arguments.CoalescingOnly ? double.NaN : (double)embedAllocations.Sum() / tokens,
    embed_allocated_bytes_median_batch = embedAllocations.Order().ElementAtOrDefault(embedAllocations.Length / 2),
    embed_allocated_bytes_largest_batch_allocation = embedAllocations.DefaultIfEmpty().Max(),
    embed_allocated_bytes_fewest_token_batch = new { tokens = batchTokens[fewestTokens], bytes = embedAllocations[fewestTokens] },
    embed_allocated_bytes_most_token_batch = new { tokens = batchTokens[mostTokens], bytes = embedAllocations[mostTokens] },
    sorted_budget_seconds = embedSeconds,
    fixed_batch_size = arguments.FixedBatch,
    fixed_input_order_seconds = fixedSeconds,
    sorted_speedup = fixedSeconds / embedSeconds,
    callers = arguments.Callers,
    calls = callCount,
    one_by_one_seconds = oneByOne,
    concurrent_seconds = concurrent,
    coalescing_speedup = oneByOne / concurrent,
    concurrent_runs = mixedSizes.Values.Sum(),
    concurrent_batch_sizes = mixedSizes,
    short_one_by_one_seconds = shortOneByOne,
    short_concurrent_seconds = shortConcurrent,
    short_coalescing_speedup = shortOneByOne / shortConcurrent,
    short_concurrent_runs = shortSizes.Values.Sum(),
    short_concurrent_batch_sizes = shortSizes,
};
// With --coalescing-only the skipped phases print as "NaN".
Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));

double Time(Action action)
{
    clock.Restart();
    action();
    return clock.Elapsed.TotalSeconds;
}

// Returns the managed bytes the Embed call itself allocated (the batch and the vectors are the caller's).
long Embed(int[] members)
{
    var batch = members.Select(i => encoded[i]).ToArray();
    var vectors = new float[batch.Length * model.Dimension];
    var before = GC.GetAllocatedBytesForCurrentThread();
    model.Embed(batch, vectors);
    return GC.GetAllocatedBytesForCurrentThread() - before;
}

// The batch-size histogram counts the concurrent side's runs only (one by one, every run holds one text).
async Task<(double OneByOne, double Concurrent, SortedDictionary<int, int> BatchSizes)> Coalescing(string name, string[] calls)
{
    double sequential = 0, together = 0;
    var rounds = calls.Length / arguments.Callers;
    for (var round = 0; round < rounds; round++)
    {
        var slice = calls.AsMemory(round * arguments.Callers, arguments.Callers);
        var oneByOneFirst = round % 2 == 0;
        if (oneByOneFirst)
        {
            sequential += await OneAfterAnother(slice);
        }
        batchSizes.Counting = true;
        together += await Concurrently(slice);
        batchSizes.Counting = false;
        if (!oneByOneFirst)
        {
            sequential += await OneAfterAnother(slice);
        }
    }
    var sizes = batchSizes.Take();
    Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {name}: one by one {sequential:F2} s, {arguments.Callers} callers {together:F2} s in {sizes.Values.Sum()} runs");
    return (sequential, together, sizes);
}

async Task<double> OneAfterAnother(ReadOnlyMemory<string> calls)
{
    var started = Stopwatch.StartNew();
    for (var i = 0; i < calls.Length; i++)
    {
        await generator.GenerateAsync([calls.Span[i]]);
    }
    return started.Elapsed.TotalSeconds;
}

async Task<double> Concurrently(ReadOnlyMemory<string> calls)
{
    var started = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, calls.Length).Select(i => Task.Run(() => generator.GenerateAsync([calls.Span[i]]))));
    return started.Elapsed.TotalSeconds;
}
