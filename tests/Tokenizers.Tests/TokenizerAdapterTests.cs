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
}
