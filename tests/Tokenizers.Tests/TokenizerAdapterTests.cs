namespace Rag.Tokenizers.Tests;

/// <summary>HfTokenizer seen through Microsoft.ML.Tokenizers' Tokenizer, as the chunker uses it.</summary>
public sealed class TokenizerAdapterTests
{
    [Fact]
    public void Count_and_index_by_token_count_follow_token_boundaries()
    {
        var tokenizer = ByteLevelBpeTests.Create().AsTokenizer();
        const string text = "hello world\nhello";
        // hello | Ġworld | Ċ | hello
        Assert.Equal(4, tokenizer.CountTokens(text));
        Assert.Equal(11, tokenizer.GetIndexByTokenCount(text, 2, out _, out var count));
        Assert.Equal(2, count);
        Assert.Equal(12, tokenizer.GetIndexByTokenCountFromEnd(text, 1, out _, out var fromEnd));
        Assert.Equal(1, fromEnd);
    }

    [Fact]
    public void Encode_to_tokens_reports_ids_and_offsets()
    {
        var tokens = ByteLevelBpeTests.Create().AsTokenizer().EncodeToTokens("hello world", out _);
        Assert.Equal([15, 20], tokens.Select(t => t.Id));
        Assert.Equal([(0, 5), (5, 11)], tokens.Select(t => (t.Offset.Start.Value, t.Offset.End.Value)));
        Assert.Equal("hello world", ByteLevelBpeTests.Create().AsTokenizer().Decode([15, 20]));
    }

    [Fact]
    public void Index_by_token_count_in_a_long_text_equals_the_cut_of_its_whole_encoding()
    {
        var hf = ByteLevelBpeTests.Create();
        var tokenizer = hf.AsTokenizer();
        var text = string.Concat(Enumerable.Repeat("hello world\nhello  hello\tworld ", 2_000));
        var whole = hf.EncodeWithOffsets(text, addSpecialTokens: false, parseSpecialTokens: false);

        foreach (var limit in new[] { 1, 7, 64, 300, whole.Ids.Length - 1 })
        {
            // Only a leading window is encoded for a small limit: the cut must be where the whole encoding puts it.
            Assert.Equal(whole.Offsets[limit - 1].End, tokenizer.GetIndexByTokenCount(text, limit, out _, out var count));
            Assert.Equal(limit, count);
            Assert.Equal(limit, tokenizer.CountTokens(text.AsSpan(0, whole.Offsets[limit - 1].End)));
        }
        Assert.Equal(whole.Ids.Length, tokenizer.CountTokens(text));
    }
}
