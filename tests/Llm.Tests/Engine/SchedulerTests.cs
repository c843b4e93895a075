using System.Diagnostics;
using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Serving;

namespace Rag.Llm.Tests.Engine;

public sealed class SchedulerTests : IDisposable
{
    private const int Context = 64;
    private readonly TestModel _gqa = new("gqa");
    private readonly TestModel _concat = new("optimum");

    private static Sequence NewSequence(TestModel model, int promptLength = 5, int maxNew = 10) =>
        new([.. Enumerable.Range(1, promptLength)], maxNew, new GenerationOptions(), new GenerationStats(), Stopwatch.StartNew(),
            model.Session.VocabSize, model.Tokenizer, []);

    [Fact]
    public void A_cancelled_sequence_gives_its_row_to_a_waiting_one_at_the_next_step()
    {
        using var cache = _gqa.Session.CreateCacheManager(2, TinyDecoders.KvBytes(_gqa.Session, 2, Context), Context);
        var scheduler = new Scheduler(cache, maxQueued: 4, prefillChunkTokens: 0);
        var (a, b, c) = (NewSequence(_gqa), NewSequence(_gqa), NewSequence(_gqa));
        var plan = new StepPlan();
        var ended = new List<(Sequence, Exception?)>();
        scheduler.Submit(a);
        scheduler.Submit(b);
        scheduler.Submit(c);

        scheduler.Schedule(plan, ended);
        Assert.Equal([a, b], plan.Admitted);
        Assert.Equal((2, 1), (scheduler.Running, scheduler.Waiting));

        var freedRow = b.Slot!.Row;
        b.Cancel();
        scheduler.Schedule(plan, ended);

        Assert.Equal([(b, (Exception?)null)], ended);
        Assert.Equal([c], plan.Admitted);
        Assert.Equal(freedRow, c.Slot!.Row);
        Assert.Equal((2, 0), (scheduler.Running, scheduler.Waiting));
        Assert.Same(a, plan.Prefill);
    }

    [Fact]
    public void Admission_reserves_no_more_than_the_kv_budget()
    {
        // Room for two sequences of 40 positions in the concat layout (both ping-pong buffers), not three.
        var perSequence = 40 * _concat.Session.Layout.NumLayers * 2L * _concat.Session.Layout.BytesPerPosition * 2;
        using var cache = _concat.Session.CreateCacheManager(8, (perSequence * 5 / 2), Context);
        var scheduler = new Scheduler(cache, maxQueued: 8, prefillChunkTokens: 0);
        var sequences = Enumerable.Range(0, 4).Select(_ => NewSequence(_concat, promptLength: 10, maxNew: 30)).ToList();
        var plan = new StepPlan();
        var ended = new List<(Sequence, Exception?)>();
        sequences.ForEach(scheduler.Submit);

        scheduler.Schedule(plan, ended);
        Assert.Equal(sequences.Take(2), plan.Admitted);
        Assert.Equal(2 * perSequence, cache.ReservedBytes);
        Assert.Equal(2, scheduler.Waiting);

        scheduler.Retire(sequences[0]);
        scheduler.Schedule(plan, ended);
        Assert.Equal([sequences[2]], plan.Admitted);
        Assert.InRange(cache.ReservedBytes, 0, cache.BudgetBytes);
        Assert.Empty(ended);
    }

    [Fact]
    public void The_budget_buys_whole_rows_in_the_shared_layout()
    {
        var row = Context * _gqa.Session.Layout.NumLayers * 2L * _gqa.Session.Layout.BytesPerPosition;

        using var cache = _gqa.Session.CreateCacheManager(8, (row * 5) / 2, Context);

        Assert.Equal(2, cache.MaxSequences);
        Assert.NotNull(cache.TryAdmit(5, Context));
        Assert.NotNull(cache.TryAdmit(5, Context));
        Assert.Null(cache.TryAdmit(5, Context));
        Assert.Throws<Rag.Llm.Loading.ModelLoadException>(() => _gqa.Session.CreateCacheManager(8, row - 1, Context));
    }

    [Fact]
    public void A_full_queue_refuses_at_once()
    {
        using var cache = _gqa.Session.CreateCacheManager(1, TinyDecoders.KvBytes(_gqa.Session, 1, Context), Context);
        var scheduler = new Scheduler(cache, maxQueued: 1, prefillChunkTokens: 0);
        scheduler.Submit(NewSequence(_gqa));
        scheduler.Submit(NewSequence(_gqa));

        Assert.Throws<LlmBusyException>(() => scheduler.Submit(NewSequence(_gqa)));
        Assert.Equal(2, scheduler.Waiting);
    }

    [Fact]
    public void A_sequence_that_can_never_fit_the_budget_fails_instead_of_waiting_forever()
    {
        var perSequence = 40 * _concat.Session.Layout.NumLayers * 2L * _concat.Session.Layout.BytesPerPosition * 2;
        using var cache = _concat.Session.CreateCacheManager(4, perSequence, Context);
        var scheduler = new Scheduler(cache, maxQueued: 4, prefillChunkTokens: 0);
        var tooLong = NewSequence(_concat, promptLength: 10, maxNew: 50);
        var plan = new StepPlan();
        var ended = new List<(Sequence Sequence, Exception? Error)>();
        scheduler.Submit(tooLong);

        scheduler.Schedule(plan, ended);

        Assert.Same(tooLong, Assert.Single(ended).Sequence);
        Assert.IsType<InvalidOperationException>(ended[0].Error);
        Assert.True(scheduler.IsIdle);
    }

    [Fact]
    public void Prefill_runs_in_chunks_of_the_configured_size_beside_the_decoding_sequences()
    {
        using var cache = _gqa.Session.CreateCacheManager(2, TinyDecoders.KvBytes(_gqa.Session, 2, Context), Context);
        var scheduler = new Scheduler(cache, maxQueued: 4, prefillChunkTokens: 4);
        var decoding = NewSequence(_gqa, promptLength: 3);
        var sequence = NewSequence(_gqa, promptLength: 10);
        var plan = new StepPlan();
        scheduler.Submit(decoding);
        scheduler.Schedule(plan, []);
        Assert.Equal((decoding, 3), (plan.Prefill, plan.PrefillTokens));
        decoding.Prefill(3);
        scheduler.Submit(sequence);

        scheduler.Schedule(plan, []);
        Assert.Equal([decoding], plan.Decoding);
        Assert.Equal((sequence, 4), (plan.Prefill, plan.PrefillTokens));
        sequence.Prefill(4);
        sequence.Prefill(4);
        scheduler.Schedule(plan, []);
        Assert.Equal((sequence, 2), (plan.Prefill, plan.PrefillTokens));
    }

    [Fact]
    public void With_no_sequence_decoding_a_prefill_runs_several_chunks_at_once()
    {
        using var cache = _gqa.Session.CreateCacheManager(2, TinyDecoders.KvBytes(_gqa.Session, 2, Context), Context);
        var scheduler = new Scheduler(cache, maxQueued: 4, prefillChunkTokens: 4);
        var sequence = NewSequence(_gqa, promptLength: 4 * Scheduler.LonePrefillChunks + 3);
        var plan = new StepPlan();
        scheduler.Submit(sequence);

        scheduler.Schedule(plan, []);
        Assert.Empty(plan.Decoding);
        Assert.Equal((sequence, 4 * Scheduler.LonePrefillChunks), (plan.Prefill, plan.PrefillTokens));
        sequence.Prefill(plan.PrefillTokens);
        scheduler.Schedule(plan, []);
        Assert.Equal((sequence, 3), (plan.Prefill, plan.PrefillTokens));
    }

    public void Dispose()
    {
        _gqa.Dispose();
        _concat.Dispose();
    }
}
