using Rag.Tokenizers.Normalizers;

namespace Rag.Tokenizers.Tests;

public sealed class NormalizerTests
{
    /// <summary>Rust's char::to_lowercase keeps the dot of 'İ', so tokenizer.json's "Lowercase" must too; BERT shares it.</summary>
    [Theory]
    [InlineData("İstanbul", "i\u0307stanbul", new[] { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData("ÀB😀", "àb😀", new[] { 0, 1, 2, 2, 4 })]
    public void Lowercase_maps_each_code_point_as_rust_does(string text, string expected, int[] origins)
    {
        var lowered = new LowercaseNormalizer().Normalize(AlignedText.FromOriginal(text, 0, text.Length));
        Assert.Equal(expected, lowered.Text);
        Assert.Equal(origins, lowered.Origins);
        Assert.Equal(expected, new BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true)
            .Normalize(AlignedText.FromOriginal(text, 0, text.Length)).Text);
    }

    [Fact]
    public void Lowercase_from_tokenizer_json_keeps_the_dot_of_dotted_capital_i()
    {
        var tokenizer = HfTokenizer.FromJson("""
            {"added_tokens":[],"normalizer":{"type":"Lowercase"},"pre_tokenizer":{"type":"WhitespaceSplit"},
             "model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,
                      "vocab":{"[UNK]":0,"i":1,"##\u0307":2,"##stanbul":3}}}
            """);
        Assert.Equal([1, 2, 3], tokenizer.Encode("İstanbul"));
    }
}
