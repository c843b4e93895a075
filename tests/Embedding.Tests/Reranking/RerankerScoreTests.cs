namespace Rag.Embedding.Tests.Reranking;

public sealed class RerankerScoreTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const float Tolerance = 1e-5f;

    private const string Query = "How long should the soup boil?";

    private static readonly string[] Passages =
    [
        "Let the soup boil gently for twenty minutes.",
        "Stock markets fell sharply.",
        "The train to the capital leaves from platform four, and the next one an hour later; tickets are sold at the gate.",
        "A cat likes to sleep on a warm mat.",
        "Soup.",
        "Investors sold shares when interest rates went up, and the soup kitchen on the corner served more people than ever that winter.",
    ];

    [Fact]
    public async Task Scores_equal_the_managed_reference_after_sigmoid_in_input_order()
    {
        var folder = RerankerFolders.Default;
        using var reranker = RerankerFolders.Open(folder);

        var scores = await reranker.ScoreAsync(Query, Passages, CancellationToken.None);

        Assert.Equal(Passages.Length, scores.Length);
        var typesMatter = false;
        for (var i = 0; i < Passages.Length; i++)
        {
            var (ids, types) = RerankerFolders.ReferencePair(folder, Query, Passages[i]);
            var expected = RerankerFolders.ReferenceScore(ids, types);
            output.WriteLine($"{i}: {scores[i]:F6} (reference {expected:F6})");
            Assert.InRange(scores[i], 0f, 1f);
            Assert.InRange(Math.Abs(scores[i] - expected), 0f, Tolerance);
            typesMatter |= Math.Abs(scores[i] - RerankerFolders.ReferenceScore(ids, new long[ids.Length])) > 10 * Tolerance;
        }
        Assert.True(typesMatter, "the scores follow the second segment's token types, not all-zero types");
        Assert.True(scores.Distinct().Count() == scores.Length, "different passages score differently");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(1 << 20)]
    public async Task Batched_scores_equal_one_by_one_scores_whatever_the_batch_composition(int maxBatchTokens)
    {
        using var single = RerankerFolders.Open(RerankerFolders.Default, o => o.MaxBatchTokens = 1);
        using var batched = RerankerFolders.Open(RerankerFolders.Default, o => o.MaxBatchTokens = maxBatchTokens);
        var oneByOne = new float[Passages.Length];
        for (var i = 0; i < Passages.Length; i++)
        {
            oneByOne[i] = Assert.Single(await single.ScoreAsync(Query, [Passages[i]], CancellationToken.None));
        }

        var together = await batched.ScoreAsync(Query, Passages, CancellationToken.None);
        var reversed = await batched.ScoreAsync(Query, [.. Passages.Reverse()], CancellationToken.None);

        for (var i = 0; i < Passages.Length; i++)
        {
            Assert.InRange(Math.Abs(together[i] - oneByOne[i]), 0f, Tolerance);
            Assert.InRange(Math.Abs(reversed[Passages.Length - 1 - i] - oneByOne[i]), 0f, Tolerance);
        }
    }

    [Fact]
    public async Task Repeated_passages_get_the_same_score_wherever_they_stand()
    {
        using var reranker = RerankerFolders.Open(RerankerFolders.Default, o => o.MaxBatchTokens = 64);
        string[] passages = [Passages[0], Passages[2], Passages[0], Passages[4], Passages[0]];

        var scores = await reranker.ScoreAsync(Query, passages, CancellationToken.None);

        Assert.InRange(Math.Abs(scores[0] - scores[2]), 0f, Tolerance);
        Assert.InRange(Math.Abs(scores[0] - scores[4]), 0f, Tolerance);
        Assert.NotEqual(scores[0], scores[1]);
    }

    [Fact]
    public async Task No_passages_give_no_scores()
    {
        using var reranker = RerankerFolders.Open(RerankerFolders.Default);
        Assert.Empty(await reranker.ScoreAsync(Query, [], CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_request_throws_instead_of_scoring()
    {
        using var reranker = RerankerFolders.Open(RerankerFolders.Default);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reranker.ScoreAsync(Query, Passages, cancelled.Token));
    }

    [Fact]
    public async Task Cancelling_once_scoring_has_started_stops_it_before_the_next_run()
    {
        using var reranker = RerankerFolders.Open(RerankerFolders.Default, o => o.MaxBatchTokens = 1);
        using var cancellation = new CancellationTokenSource();
        // The request is cancelled while its passages are being read, i.e. after scoring began and before any run.
        var passages = new CancellingList(Passages, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reranker.ScoreAsync(Query, passages, cancellation.Token));
        Assert.True(passages.Read);
    }

    /// <summary>Passages that cancel the request when the last one is read.</summary>
    private sealed class CancellingList(string[] items, CancellationTokenSource cancellation) : IReadOnlyList<string>
    {
        public bool Read { get; private set; }

        public int Count => items.Length;

        public string this[int index]
        {
            get
            {
                if (index == items.Length - 1)
                {
                    Read = true;
                    cancellation.Cancel();
                }
                return items[index];
            }
        }

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)items).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task A_folder_with_only_tokenizer_json_scores_like_the_one_with_vocab_txt()
    {
        var jsonOnly = Model.EncoderFolders.Variant(RerankerFolders.Default, "cross-encoder-tokenizer-json-only", dir => File.Delete(Path.Combine(dir, "vocab.txt")));
        using var wordPiece = RerankerFolders.Open(RerankerFolders.Default);
        using var hf = RerankerFolders.Open(jsonOnly);

        var expected = await wordPiece.ScoreAsync(Query, Passages, CancellationToken.None);
        var actual = await hf.ScoreAsync(Query, Passages, CancellationToken.None);

        for (var i = 0; i < Passages.Length; i++)
        {
            Assert.Equal(wordPiece.Encode(Query, Passages[i]), hf.Encode(Query, Passages[i]), PairComparer.Instance);
            Assert.InRange(Math.Abs(expected[i] - actual[i]), 0f, Tolerance);
        }
    }

    [Fact]
    public void Model_id_names_the_folder_and_changes_with_the_weights()
    {
        using var seed1 = RerankerFolders.Open(RerankerFolders.Default);
        using var seed2 = RerankerFolders.Open(TestSupport.ForgedModels.CrossEncoder(seed: 2));
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Path.GetFileName(RerankerFolders.Default))}@sha256:[0-9a-f]{{16}}$", seed1.ModelId);
        Assert.NotEqual(seed1.ModelId[^16..], seed2.ModelId[^16..]);
    }
}
