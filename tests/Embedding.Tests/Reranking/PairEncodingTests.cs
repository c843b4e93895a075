using Microsoft.ML.Tokenizers;

namespace Rag.Embedding.Tests.Reranking;

public sealed class PairEncodingTests
{
    private const string Query = "Does pgvector work with PostgreSQL?";

    private static readonly string LongPassage = string.Join(' ', Enumerable.Repeat("Install pgvector to add similarity search to PostgreSQL, then create an index.", 20));

    [Fact]
    public void Pair_is_cls_query_sep_passage_sep_with_token_types_zero_then_one()
    {
        var folder = RerankerFolders.Default;
        using var reranker = RerankerFolders.Open(folder);
        var vocabulary = File.ReadAllLines(Path.Combine(folder, "vocab.txt"));

        var pair = reranker.Encode(Query, "Grafana dashboards visualize metrics.");

        var (ids, types) = RerankerFolders.ReferencePair(folder, Query, "Grafana dashboards visualize metrics.");
        Assert.Equal(ids, pair.Ids.Select(i => (long)i));
        Assert.False(pair.Truncated);
        Assert.Equal("[CLS]", vocabulary[pair.Ids[0]]);
        Assert.Equal("[SEP]", vocabulary[pair.Ids[pair.SecondSegmentStart - 1]]);
        Assert.Equal("[SEP]", vocabulary[pair.Ids[^1]]);
        Assert.Equal(2, pair.Ids.Count(id => vocabulary[id] == "[SEP]"));
        // token_type_ids as the batch fills them: 0 up to and including the first [SEP], 1 for the passage and its [SEP].
        var fed = Enumerable.Range(0, pair.Length).Select(t => t < pair.SecondSegmentStart ? 0L : 1L);
        Assert.Equal(types, fed);
        Assert.Equal(0, types[pair.SecondSegmentStart - 1]);
        Assert.Equal(1, types[pair.SecondSegmentStart]);
    }

    [Fact]
    public void Max_sequence_length_is_the_smaller_of_the_tokenizer_and_position_limits()
    {
        using (var defaults = RerankerFolders.Open(RerankerFolders.Default))
        {
            Assert.Equal(512, defaults.MaxSequenceLength);
        }
        using (var tokenizerLimited = RerankerFolders.Open(RerankerFolders.WithModelMaxLength(40)))
        {
            Assert.Equal(40, tokenizerLimited.MaxSequenceLength);
        }
        var positionLimited = Model.EncoderFolders.Variant(RerankerFolders.Default, "cross-encoder-positions-24",
            dir => RerankerFolders.EditJson(Path.Combine(dir, "config.json"), json => json["max_position_embeddings"] = 24));
        using var reranker = RerankerFolders.Open(positionLimited);
        Assert.Equal(24, reranker.MaxSequenceLength);
    }

    [Fact]
    public async Task A_passage_longer_than_the_limit_is_truncated_keeping_the_query_and_still_scored()
    {
        const int limit = 40;
        var folder = RerankerFolders.WithModelMaxLength(limit);
        using var reranker = RerankerFolders.Open(folder);
        var queryTokens = BertTokenizer.Create(Path.Combine(folder, "vocab.txt")).EncodeToIds(Query, addSpecialTokens: false);

        var pair = reranker.Encode(Query, LongPassage);
        var scores = await reranker.ScoreAsync(Query, [LongPassage, "Short."], CancellationToken.None);

        Assert.True(pair.Truncated);
        Assert.Equal(limit, pair.Length);
        Assert.Equal(queryTokens, pair.Ids[1..(queryTokens.Count + 1)]);
        Assert.Equal(queryTokens.Count + 2, pair.SecondSegmentStart);
        Assert.InRange(Math.Abs(scores[0] - RerankerFolders.ReferenceScore(folder, Query, LongPassage, limit)), 0f, 1e-5f);
        Assert.InRange(Math.Abs(scores[1] - RerankerFolders.ReferenceScore(folder, Query, "Short.")), 0f, 1e-5f);
    }

    [Fact]
    public void A_query_longer_than_the_limit_is_cut_leaving_the_passage_half_the_room()
    {
        const int limit = 24;
        using var reranker = RerankerFolders.Open(RerankerFolders.WithModelMaxLength(limit));

        var pair = reranker.Encode(LongPassage, LongPassage);

        Assert.True(pair.Truncated);
        Assert.Equal(limit, pair.Length);
        var content = limit - 3;
        Assert.Equal(content - content / 2 + 2, pair.SecondSegmentStart);
    }
}
