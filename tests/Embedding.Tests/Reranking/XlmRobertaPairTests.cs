using Rag.Embedding.Batching;
using System.Text.Json.Nodes;
using Rag.Embedding.Tests.Model;

namespace Rag.Embedding.Tests.Reranking;

/// <summary>
/// bge-reranker's pair layout <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c> (all token type 0), declared by a
/// tokenizer.json post-processor, on the forged BERT graph with [CLS]/[SEP] standing in for &lt;s&gt;/&lt;/s&gt;.
/// </summary>
public sealed class XlmRobertaPairTests
{
    private const string Query = "How long should the soup boil?";

    private static readonly string[] Passages = ["Let the soup boil gently for twenty minutes.", "Stock markets fell sharply.", "Soup."];

    [Theory]
    [InlineData("RobertaProcessing")]
    [InlineData("TemplateProcessing")]
    public async Task Xlm_r_pairs_have_a_double_separator_and_type_zero_throughout_and_score_as_the_reference(string postProcessor)
    {
        using var reranker = RerankerFolders.Open(XlmRobertaFolder(postProcessor));
        using var bert = RerankerFolders.Open(RerankerFolders.Default);

        var scores = await reranker.ScoreAsync(Query, Passages, CancellationToken.None);

        for (var i = 0; i < Passages.Length; i++)
        {
            var bertPair = bert.Encode(Query, Passages[i]);
            var expected = WithSecondSeparator(bertPair);
            var pair = reranker.Encode(Query, Passages[i]);
            Assert.Equal(expected, pair.Ids);
            Assert.Equal(0, pair.SecondSegmentStart);
            var reference = RerankerFolders.ReferenceScore([.. expected.Select(id => (long)id)], new long[expected.Length]);
            Assert.InRange(Math.Abs(scores[i] - reference), 0f, 1e-5f);
        }
    }

    [Fact]
    public void Xlm_r_pairs_reserve_four_special_tokens_when_truncating()
    {
        var folder = EncoderFolders.Variant(XlmRobertaFolder("RobertaProcessing"), "cross-encoder-xlm-r-max-24",
            dir => RerankerFolders.EditJson(Path.Combine(dir, "tokenizer_config.json"), json => json["model_max_length"] = 24));
        using var reranker = RerankerFolders.Open(folder);

        using var bert = RerankerFolders.Open(RerankerFolders.WithModelMaxLength(23));
        var passage = string.Join(' ', Enumerable.Repeat("Let the soup boil gently for twenty minutes.", 10));

        var pair = reranker.Encode(Query, passage);

        // The same query and passage tokens as a BERT pair one token shorter: only the extra separator differs.
        var bertPair = bert.Encode(Query, passage);
        Assert.True(pair.Truncated);
        Assert.Equal(24, pair.Length);
        Assert.Equal(WithSecondSeparator(bertPair), pair.Ids);
    }

    /// <summary>[CLS] A [SEP] B [SEP] → [CLS] A [SEP] [SEP] B [SEP].</summary>
    private static int[] WithSecondSeparator(EncodedText bertPair) =>
        [.. bertPair.Ids[..bertPair.SecondSegmentStart], bertPair.Ids[^1], .. bertPair.Ids[bertPair.SecondSegmentStart..]];

    private static string XlmRobertaFolder(string postProcessor) =>
        EncoderFolders.Variant(RerankerFolders.Default, $"cross-encoder-xlm-r-{postProcessor}", dir =>
        {
            File.Delete(Path.Combine(dir, "vocab.txt"));
            RerankerFolders.EditJson(Path.Combine(dir, "tokenizer.json"), json =>
            {
                var cls = (int)json["post_processor"]!["special_tokens"]!["[CLS]"]!["ids"]![0]!;
                var sep = (int)json["post_processor"]!["special_tokens"]!["[SEP]"]!["ids"]![0]!;
                json["post_processor"] = postProcessor == "RobertaProcessing"
                    ? new JsonObject
                    {
                        ["type"] = "RobertaProcessing",
                        ["sep"] = new JsonArray("[SEP]", sep),
                        ["cls"] = new JsonArray("[CLS]", cls),
                        ["trim_offsets"] = true,
                        ["add_prefix_space"] = true,
                    }
                    : new JsonObject
                    {
                        ["type"] = "TemplateProcessing",
                        ["single"] = new JsonArray(Special("[CLS]"), Sequence("A"), Special("[SEP]")),
                        ["pair"] = new JsonArray(Special("[CLS]"), Sequence("A"), Special("[SEP]"), Special("[SEP]"), Sequence("B"), Special("[SEP]")),
                        ["special_tokens"] = new JsonObject
                        {
                            ["[CLS]"] = new JsonObject { ["id"] = "[CLS]", ["ids"] = new JsonArray(cls), ["tokens"] = new JsonArray("[CLS]") },
                            ["[SEP]"] = new JsonObject { ["id"] = "[SEP]", ["ids"] = new JsonArray(sep), ["tokens"] = new JsonArray("[SEP]") },
                        },
                    };
            });
        });

    private static JsonObject Special(string id) => new() { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };

    private static JsonObject Sequence(string id) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
}
