namespace Rag.Tokenizers.Tests;

public sealed class StreamingDetokenizerTests
{
    [Fact]
    public void Multi_byte_characters_split_across_tokens_are_emitted_whole()
    {
        var stream = ByteLevelBpeTests.Create().CreateStreamingDetokenizer();
        // 😀 is four byte tokens, 中 two; nothing may be emitted until the character is complete.
        int[] ids = [15, 25, 26, 27, 28, 32, 31, 20];
        string[] deltas = [.. ids.Select(stream.Push)];
        Assert.Equal(["hello", "", "", "", "😀", "", "中", " world"], deltas);
        Assert.Equal(string.Empty, stream.Flush());
    }

    [Fact]
    public void Deltas_concatenate_to_the_full_decode()
    {
        var tokenizer = ByteLevelBpeTests.Create();
        var ids = tokenizer.Encode("<|im_start|>hello world\né😀中 hello<|im_end|>");
        var stream = tokenizer.CreateStreamingDetokenizer();
        var text = string.Concat(ids.Select(stream.Push)) + stream.Flush();
        Assert.Equal(tokenizer.Decode(ids), text);
    }

    [Fact]
    public void An_incomplete_character_at_the_end_is_flushed_as_replacement()
    {
        var stream = ByteLevelBpeTests.Create().CreateStreamingDetokenizer();
        Assert.Equal(string.Empty, stream.Push(25));
        Assert.Equal("\uFFFD", stream.Flush());
    }

    [Fact]
    public void Special_tokens_are_skipped_or_kept_as_asked()
    {
        var tokenizer = ByteLevelBpeTests.Create();
        int[] ids = [1, 15, 2];
        var skipping = tokenizer.CreateStreamingDetokenizer();
        Assert.Equal("hello", string.Concat(ids.Select(skipping.Push)));
        var keeping = tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: false);
        Assert.Equal("<|im_start|>hello<|im_end|>", string.Concat(ids.Select(keeping.Push)));
    }

    [Theory]
    [InlineData(new[] { 1, 15, 25, 26, 27, 28, 32, 31, 20, 11, 2, 25, 15 })]
    [InlineData(new[] { 26, 27, 15, 32, 32, 31, 7, 7, 20 })]
    public void Byte_streaming_matches_window_streaming_and_decode_even_for_invalid_bytes(int[] ids)
    {
        var tokenizer = ByteLevelBpeTests.Create();
        var bytes = tokenizer.CreateStreamingDetokenizer();
        var window = new WindowStreamingDetokenizer(tokenizer, skipSpecialTokens: true);
        var byteText = string.Concat(ids.Select(bytes.Push)) + bytes.Flush();
        var windowText = string.Concat(ids.Select(window.Push)) + window.Flush();
        Assert.Equal(tokenizer.Decode(ids), byteText);
        Assert.Equal(byteText, windowText);
    }
}
