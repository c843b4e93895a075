using Rag.Llm.Generation;
using Rag.Llm.Tests.Generation;

namespace Rag.Llm.Tests.Engine;

public sealed class EngineLoopTests : IDisposable
{
    private readonly TestModel _model = new("gqa");

    private static async Task<GenerationStats> Run(Generator generator, int[] prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        var stats = new GenerationStats();
        await foreach (var _ in generator.GenerateAsync(prompt, options, stats, cancellationToken))
        {
        }
        return stats;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Concurrent_streams_each_get_the_tokens_they_get_alone(int prefillChunkTokens)
    {
        var generator = _model.Generator(maxConcurrent: 8, prefillChunkTokens: prefillChunkTokens);
        int[][] prompts = [[5, 17, 42], [3, 14, 15, 92, 65, 35, 89, 79, 32], [7], [21, 22, 23, 24, 25, 26]];
        var lengths = new[] { 30, 12, 25, 18 };
        var alone = new List<IReadOnlyList<int>>();
        for (var i = 0; i < prompts.Length; i++)
        {
            alone.Add((await Run(generator, prompts[i], new GenerationOptions { MaxNewTokens = lengths[i] })).CompletionTokenIds);
        }

        var together = await Task.WhenAll(prompts.Select((p, i) => Task.Run(() => Run(generator, p, new GenerationOptions { MaxNewTokens = lengths[i] }))));

        Assert.Equal(alone, together.Select(s => s.CompletionTokenIds));
    }

    [Fact]
    public async Task A_cancelled_stream_stops_while_the_others_run_to_their_own_end()
    {
        using var model = TinyDecoders.SlowModel();
        var generator = model.Generator(maxConcurrent: 2, contextLength: 1024);
        int[] first = [5, 17, 42];
        int[] second = [9, 8, 7, 6];
        var firstAlone = (await Run(generator, first, new GenerationOptions { MaxNewTokens = 40 })).CompletionTokenIds;
        using var cancel = new CancellationTokenSource();
        var cancelledStats = new GenerationStats();

        var survivor = Task.Run(() => Run(generator, first, new GenerationOptions { MaxNewTokens = 40 }));
        var watch = CancelWatch.CancelAfter(cancelledStats, 3, cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in generator.GenerateAsync(second, new GenerationOptions { MaxNewTokens = 1000 }, cancelledStats, cancel.Token))
            {
            }
        });
        await watch;

        Assert.Equal(firstAlone, (await survivor).CompletionTokenIds);
        Assert.Equal(FinishReason.Cancelled, cancelledStats.FinishReason);
        Assert.True(cancelledStats.CompletionTokens < 1000);
        var engine = model.LastEngine!;
        Assert.True(SpinWait.SpinUntil(() => engine.Running == 0 && engine.KvBytesReserved == 0, TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _model.Dispose();
}
