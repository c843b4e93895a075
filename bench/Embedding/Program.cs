using System.Text.Json;
using Rag.Embedding;
using Rag.Embedding.Batching;
using Rag.Embedding.Bench;

// Usage: dotnet run -c Release --project bench/Embedding -- [--model <sentence-transformers folder>] [--texts 2000] [--threads 0]
// Without --model it forges a minilm-l6-shaped encoder (random weights, real tensor sizes) once and reuses it.
var arguments = BenchArguments.Parse(args);
var options = new EmbeddingOptions { ModelPath = arguments.Model, IntraOpThreads = arguments.Threads, MaxBatchTokens = arguments.MaxBatchTokens };
using var generator = OnnxEmbeddingGenerator.Load(options);
var model = (EmbeddingModel)generator.GetService(typeof(EmbeddingModel))!;
var texts = BenchTexts.Generate(Path.Combine(arguments.Model, "vocab.txt"), arguments.Texts, 10, 300, seed: 42);
var encoded = texts.Select(model.Encode).ToArray();
var tokens = encoded.Sum(e => e.Length);
var plan = BatchPlanner.Plan([.. encoded.Select(e => e.Length)], options.MaxBatchTokens);

// Warm-up on the longest texts, so ONNX Runtime's arena has grown to the largest batch before any clock runs.
await generator.GenerateAsync([.. plan.Order.Take(200).Select(i => texts[i])]);

// 1. The whole pipeline (tokenize, queue, batch, run, pool) on all texts in one call.
var pipeline = await Timed.Async(() => generator.GenerateAsync(texts));

// 2. Bare InferenceSession.Run on the same batches, inputs prepared outside the clock, outputs allocated by ONNX Runtime.
using var bare = new BareRuns(model.Folder.OnnxFile, arguments.Threads, model.Signature, encoded, plan);
bare.RunAll();
var bareSeconds = Timed.Sync(bare.RunAll);

// 3. The same model calls on length-sorted token-budget batches against fixed-size batches in input order.
var sorted = Timed.Sync(() => EmbedBatches(plan.Batches.Select(b => plan.Order[b])));
var fixedSize = Timed.Sync(() => EmbedBatches(Enumerable.Range(0, (encoded.Length + arguments.FixedBatch - 1) / arguments.FixedBatch)
    .Select(b => Enumerable.Range(b * arguments.FixedBatch, Math.Min(arguments.FixedBatch, encoded.Length - b * arguments.FixedBatch)).ToArray())));

// 4. 16 callers with one text per call: concurrently (coalesced by the queue) against the same calls one after another,
//    on texts like the corpus (10–300 tokens) and on query-like texts (10–30 tokens).
var callCount = arguments.Callers * arguments.CallsPerCaller;
var (oneByOne, concurrent) = await Coalescing(texts[..callCount]);
var shortTexts = BenchTexts.Generate(Path.Combine(arguments.Model, "vocab.txt"), callCount, 10, 30, seed: 7);
var (shortOneByOne, shortConcurrent) = await Coalescing(shortTexts);

var figures = new
{
    model = model.ModelId,
    dimension = model.Dimension,
    texts = texts.Length,
    tokens,
    max_batch_tokens = options.MaxBatchTokens,
    batches = plan.Batches.Count,
    intra_op_threads = arguments.Threads,
    pipeline_seconds = pipeline,
    pipeline_texts_per_second = texts.Length / pipeline,
    pipeline_tokens_per_second = tokens / pipeline,
    bare_run_seconds = bareSeconds,
    pipeline_overhead = pipeline / bareSeconds - 1,
    sorted_budget_seconds = sorted,
    fixed_batch_size = arguments.FixedBatch,
    fixed_input_order_seconds = fixedSize,
    sorted_speedup = fixedSize / sorted,
    callers = arguments.Callers,
    calls = callCount,
    one_by_one_seconds = oneByOne,
    concurrent_seconds = concurrent,
    coalescing_speedup = oneByOne / concurrent,
    short_one_by_one_seconds = shortOneByOne,
    short_concurrent_seconds = shortConcurrent,
    short_coalescing_speedup = shortOneByOne / shortConcurrent,
};
Console.WriteLine(JsonSerializer.Serialize(figures));

async Task<(double OneByOne, double Concurrent)> Coalescing(string[] calls)
{
    var sequential = await Timed.Async(async () =>
    {
        foreach (var text in calls)
        {
            await generator.GenerateAsync([text]);
        }
    });
    var perCaller = calls.Length / arguments.Callers;
    var together = await Timed.Async(() => Task.WhenAll(Enumerable.Range(0, arguments.Callers).Select(c => Task.Run(async () =>
    {
        for (var i = 0; i < perCaller; i++)
        {
            await generator.GenerateAsync([calls[c * perCaller + i]]);
        }
    }))));
    return (sequential, together);
}

void EmbedBatches(IEnumerable<int[]> batches)
{
    foreach (var members in batches)
    {
        var batch = members.Select(i => encoded[i]).ToArray();
        model.Embed(batch, new float[batch.Length * model.Dimension]);
    }
}
