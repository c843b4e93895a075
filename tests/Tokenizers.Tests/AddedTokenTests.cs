namespace Rag.Tokenizers.Tests;

/// <summary>Added-token flags on the byte-level test vocabulary ("hello" = 15, "Ġ" = 7, "Ċ" = 11).</summary>
public sealed class AddedTokenTests
{
    private static HfTokenizer Create(string flags) => HfTokenizer.FromJson($$"""
        {"added_tokens": [{"id":2,"content":"<|im_end|>","special":true,"normalized":false, {{flags}} }],
         "pre_tokenizer": {"type":"ByteLevel","add_prefix_space":false,"use_regex":true},
         "decoder": {"type":"ByteLevel"},
         "model": {"type":"BPE","vocab":{ {{ByteLevelBpeTests.Vocab}} },"merges":[ {{ByteLevelBpeTests.Merges}} ]} }
        """);

    [Theory]
    [InlineData("\"lstrip\":false,\"rstrip\":false,\"single_word\":false", new[] { 15, 7, 2, 11, 15 })]
    [InlineData("\"lstrip\":true,\"rstrip\":false,\"single_word\":false", new[] { 15, 2, 11, 15 })]
    [InlineData("\"lstrip\":false,\"rstrip\":true,\"single_word\":false", new[] { 15, 7, 2, 15 })]
    public void Lstrip_and_rstrip_absorb_the_whitespace_beside_the_token(string flags, int[] expected) =>
        Assert.Equal(expected, Create(flags).Encode("hello <|im_end|>\nhello"));

    [Fact]
    public void Single_word_tokens_match_only_between_word_boundaries()
    {
        var tokenizer = Create("\"lstrip\":false,\"rstrip\":false,\"single_word\":true");
        Assert.Equal([15, 7, 2], tokenizer.Encode("hello <|im_end|>"));
        Assert.DoesNotContain(2, tokenizer.Encode("hello<|im_end|>d"));
    }
}
