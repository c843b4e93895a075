using System.Text.RegularExpressions;
using Rag.Tokenizers.PreTokenizers;

namespace Rag.Tokenizers.Tests;

/// <summary>Split behaviours on HF's documented example "the-final--countdown" split on "-".</summary>
public sealed class PreTokenizerTests
{
    private static string[] Pieces(IPreTokenizer preTokenizer, string text)
    {
        var output = new List<AlignedText>();
        preTokenizer.Split(AlignedText.FromOriginal(text, 0, text.Length), output);
        return [.. output.Select(p => p.Text)];
    }

    [Theory]
    [InlineData("Removed", new[] { "the", "final", "countdown" })]
    [InlineData("Isolated", new[] { "the", "-", "final", "-", "-", "countdown" })]
    [InlineData("MergedWithPrevious", new[] { "the-", "final-", "-", "countdown" })]
    [InlineData("MergedWithNext", new[] { "the", "-final", "-", "-countdown" })]
    [InlineData("Contiguous", new[] { "the", "-", "final", "--", "countdown" })]
    public void Split_behaviours_follow_hugging_face(string behavior, string[] expected) =>
        Assert.Equal(expected, Pieces(new SplitPreTokenizer(new Regex("-"), Enum.Parse<SplitBehavior>(behavior), invert: false), "the-final--countdown"));

    [Fact]
    public void Whitespace_digits_and_bert_split_as_documented()
    {
        Assert.Equal(["Hey", "friend", "!?"], Pieces(FixedPatternPreTokenizers.Whitespace(), "Hey friend!?"));
        Assert.Equal(["a", "1", "2", "b"], Pieces(FixedPatternPreTokenizers.Digits(individual: true), "a12b"));
        Assert.Equal(["a", "12", "b"], Pieces(FixedPatternPreTokenizers.Digits(individual: false), "a12b"));
        Assert.Equal(["Hey", "friend", "!", "?"], Pieces(new BertPreTokenizer(), "Hey  friend!?"));
    }

    [Fact]
    public void Metaspace_marks_spaces_and_starts_pieces_at_them()
    {
        Assert.Equal(["▁Hey", "▁", "▁friend"], Pieces(new MetaspacePreTokenizer('▁', PrependScheme.Always, split: true), "Hey  friend"));
        Assert.Equal(["Hey▁friend"], Pieces(new MetaspacePreTokenizer('▁', PrependScheme.Never, split: false), "Hey friend"));
    }
}
