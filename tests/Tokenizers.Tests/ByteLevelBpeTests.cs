namespace Rag.Tokenizers.Tests;

/// <summary>
/// A tiny GPT-2/Qwen-style byte-level BPE. Byte-level alphabet: space → Ġ, \n → Ċ, é (C3 A9) → "Ã©",
/// 😀 (F0 9F 98 80) → "ðŁĺĢ", 中 (E4 B8 AD) → "ä¸Ń". Expected ids are worked out by hand from the merge ranks below.
/// </summary>
public sealed class ByteLevelBpeTests
{
    internal const string Vocab = """
        "<|endoftext|>": 0, "<|im_start|>": 1, "<|im_end|>": 2,
        "h": 3, "e": 4, "l": 5, "o": 6, "Ġ": 7, "w": 8, "r": 9, "d": 10, "Ċ": 11,
        "he": 12, "ll": 13, "hell": 14, "hello": 15, "Ġw": 16, "or": 17, "Ġwor": 18, "ld": 19, "Ġworld": 20,
        "Ã": 21, "©": 22, "Ã©": 23, "el": 24, "ð": 25, "Ł": 26, "ĺ": 27, "Ģ": 28, "ä": 29, "¸": 30, "Ń": 31, "ä¸": 32
        """;

    // Rank = position. "e l" is ranked last so that "ell" shows rank beats position.
    internal const string Merges = """
        "h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "Ã ©", "e l", "ä ¸"
        """;

    internal const string AddedTokens = """
        [{"id":0,"content":"<|endoftext|>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
         {"id":1,"content":"<|im_start|>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
         {"id":2,"content":"<|im_end|>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false}]
        """;

    internal static HfTokenizer Create(string postProcessor = """{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":true}""", string? config = null) =>
        HfTokenizer.FromJson($$"""
            {
              "version": "1.0",
              "added_tokens": {{AddedTokens}},
              "normalizer": null,
              "pre_tokenizer": {"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true},
              "post_processor": {{postProcessor}},
              "decoder": {"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true},
              "model": {"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":"","end_of_word_suffix":"",
                        "fuse_unk":false,"byte_fallback":false,"vocab":{ {{Vocab}} },"merges":[ {{Merges}} ]}
            }
            """, config);

    [Theory]
    [InlineData("hello world", new[] { 15, 20 })]
    [InlineData("hello\nworld", new[] { 15, 11, 8, 17, 19 })]
    [InlineData("ell", new[] { 4, 13 })]
    [InlineData("é", new[] { 23 })]
    [InlineData("😀", new[] { 25, 26, 27, 28 })]
    [InlineData("中", new[] { 32, 31 })]
    [InlineData("  hello", new[] { 7, 7, 15 })]
    public void Byte_level_bpe_applies_merges_by_rank(string text, int[] expected) =>
        Assert.Equal(expected, Create().Encode(text));

    [Fact]
    public void Merges_written_as_arrays_load_like_strings()
    {
        var arrays = "[" + string.Join(", ", Merges.Split(',').Select(m => m.Trim().Trim('"').Split(' ')).Select(p => $"[\"{p[0]}\",\"{p[1]}\"]")) + "]";
        var json = $$"""
            {"added_tokens":[],"model":{"type":"BPE","vocab":{ {{Vocab}} },"merges":{{arrays}} },
             "pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"use_regex":true} }
            """;
        Assert.Equal([15, 20], HfTokenizer.FromJson(json).Encode("hello world"));
    }

    [Fact]
    public void Special_tokens_inside_text_become_single_ids()
    {
        Assert.Equal([1, 15, 2, 11], Create().Encode("<|im_start|>hello<|im_end|>\n"));
    }

    [Fact]
    public void Template_processing_adds_bos_only_when_the_post_processor_says_so()
    {
        var withBos = Create("""
            {"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|endoftext|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
             "pair":[],"special_tokens":{"<|endoftext|>":{"id":"<|endoftext|>","ids":[0],"tokens":["<|endoftext|>"]}}}
            """);
        Assert.Equal([0, 15], withBos.Encode("hello"));
        Assert.Equal([15], withBos.Encode("hello", addSpecialTokens: false));
        Assert.Equal([15], Create().Encode("hello"));
    }

    [Fact]
    public void Decode_round_trips_and_skips_special_tokens()
    {
        var tokenizer = Create();
        const string text = "<|im_start|>hello world\né😀中<|im_end|>";
        var ids = tokenizer.Encode(text);
        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("hello world\né😀中", tokenizer.Decode(ids));
    }

    [Fact]
    public void Offsets_point_back_into_the_original_text()
    {
        var encoded = Create().EncodeWithOffsets("hello world é");
        Assert.Equal([15, 20, 7, 23], encoded.Ids);
        Assert.Equal([(0, 5), (5, 11), (11, 12), (12, 13)], encoded.Offsets);
    }

    [Fact]
    public void Truncation_keeps_room_for_special_tokens_and_reports_it()
    {
        var tokenizer = Create("""
            {"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|endoftext|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
             "pair":[],"special_tokens":{"<|endoftext|>":{"id":"<|endoftext|>","ids":[0],"tokens":["<|endoftext|>"]}}}
            """);
        var (ids, truncated) = tokenizer.EncodeIds("hello world", maxTokens: 2);
        Assert.True(truncated);
        Assert.Equal([0, 15], ids);
        Assert.False(tokenizer.EncodeWithOffsets("hello world", maxTokens: 3).Truncated);
    }
}
