using Rag.Api.Hosting;

namespace Rag.Api.Tests.Remote;

public sealed class EstimatedTokenizerTests
{
    private readonly EstimatedTokenizer tokenizer = new();

    [Theory]
    [InlineData("The cat sat.", 4)]          // The, cat, sat, .
    [InlineData("windows", 3)]               // win, dow, s
    [InlineData("  a\n\tb  ", 2)]            // whitespace is free
    [InlineData("x = f(y);", 7)]             // every symbol counts
    [InlineData("Grüße", 4)]                 // Gr, ü, ß, e
    [InlineData("日本語", 3)]
    [InlineData("", 0)]
    public void Counts_a_token_per_three_word_characters_and_per_symbol_or_non_ascii_character(string text, int tokens) =>
        Assert.Equal(tokens, tokenizer.CountTokens(text));

    [Fact]
    public void Counts_more_tokens_than_english_words_so_budgets_err_long()
    {
        const string Text = "Everyone gets twenty five days of paid leave every year, plus public holidays.";
        var words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(tokenizer.CountTokens(Text) > words * 1.3, $"{tokenizer.CountTokens(Text)} tokens for {words} words");
    }

    [Fact]
    public void Cuts_at_a_token_boundary_within_the_budget()
    {
        const string Text = "windows open wide";
        var index = tokenizer.GetIndexByTokenCount(Text, 4, out _, out var count);
        Assert.Equal("windows ope", Text[..index]);
        Assert.Equal(4, count);
        Assert.True(tokenizer.CountTokens(Text[..index]) <= 4);
        var fromEnd = tokenizer.GetIndexByTokenCountFromEnd(Text, 2, out _, out _);
        Assert.Equal("wide", Text[fromEnd..]);
    }
}
