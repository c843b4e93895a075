namespace Rag.Tokenizers.Tests;

/// <summary>
/// A tiny T5-style unigram model. Scores make the Viterbi best path differ from greedy longest match:
/// "▁hello" alone scores -10, "▁he" + "llo" scores -4.5.
/// </summary>
public sealed class UnigramTests
{
    private static HfTokenizer Create() => HfTokenizer.FromJson("""
        {
          "added_tokens": [{"id":0,"content":"<unk>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false}],
          "normalizer": null,
          "pre_tokenizer": {"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true},
          "post_processor": null,
          "decoder": {"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true},
          "model": {"type":"Unigram","unk_id":0,"byte_fallback":false,"vocab":[
            ["<unk>", 0.0], ["▁", -2.0], ["▁h", -3.0], ["e", -2.0], ["l", -2.0], ["o", -2.0],
            ["▁he", -2.5], ["llo", -2.0], ["▁hello", -10.0], ["h", -3.0]]}
        }
        """);

    [Theory]
    [InlineData("hello", new[] { 6, 7 })]
    [InlineData("hello hello", new[] { 6, 7, 6, 7 })]
    [InlineData("hex", new[] { 6, 0 })]
    [InlineData("xx", new[] { 1, 0 })]
    public void Unigram_picks_the_best_scoring_segmentation(string text, int[] expected) =>
        Assert.Equal(expected, Create().Encode(text));

    [Fact]
    public void Unigram_decodes_metaspace_back_to_spaces() =>
        Assert.Equal("hello hello", Create().Decode([6, 7, 6, 7]));
}
