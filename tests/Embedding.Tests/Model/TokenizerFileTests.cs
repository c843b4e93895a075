namespace Rag.Embedding.Tests.Model;

public class TokenizerFileTests
{
    [Fact]
    public async Task A_folder_with_only_tokenizer_json_embeds_like_the_one_with_vocab_txt()
    {
        var jsonOnly = EncoderFolders.Variant(EncoderFolders.Mean, "tokenizer-json-only", dir => File.Delete(Path.Combine(dir, "vocab.txt")));
        var texts = TestTexts.Varied(8);
        using var wordPiece = EncoderFolders.Open(EncoderFolders.Mean);
        using var hf = EncoderFolders.Open(jsonOnly);

        var expected = await wordPiece.GenerateAsync(texts);
        var actual = await hf.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(wordPiece.CountTokens(texts[i]), hf.CountTokens(texts[i]));
            VectorAssert.Close(expected[i].Vector.Span, actual[i].Vector.Span);
        }
    }
}
