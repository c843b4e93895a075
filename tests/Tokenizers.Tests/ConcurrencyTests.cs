namespace Rag.Tokenizers.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task One_tokenizer_serves_concurrent_encodes_and_streams()
    {
        var tokenizer = ByteLevelBpeTests.Create();
        string[] texts = ["hello world", "<|im_start|>hello\nworld<|im_end|>", "é😀中 hello", "ell hello  world", "world\n\nhello"];
        var expected = texts.Select(t => tokenizer.Encode(t)).ToArray();
        var work = Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var index = i % texts.Length;
            var ids = tokenizer.Encode(texts[index]);
            var stream = tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: false);
            var text = string.Concat(ids.Select(stream.Push)) + stream.Flush();
            return (Index: index, Ids: ids, Text: text);
        }));
        foreach (var (index, ids, text) in await Task.WhenAll(work))
        {
            Assert.Equal(expected[index], ids);
            Assert.Equal(texts[index], text);
        }
    }
}
