namespace Rag.Tokenizers.Tests;

/// <summary>
/// The Llama 2 / Mistral tokenizer.json shape: Prepend("▁") + Replace(" ", "▁") normalizer, BPE with byte fallback,
/// &lt;s&gt; added by TemplateProcessing, decoder Replace + ByteFallback + Fuse + Strip. 中 is E4 B8 AD.
/// </summary>
public sealed class SentencePieceBpeTests
{
    private const string Specials = """
        [{"id":0,"content":"<unk>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
         {"id":1,"content":"<s>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
         {"id":2,"content":"</s>","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false}]
        """;

    private const string Model = """
        {"type":"BPE","unk_token":"<unk>","fuse_unk":true,"byte_fallback":true,
         "vocab":{"<unk>":0,"<s>":1,"</s>":2,"<0xE4>":3,"<0xB8>":4,"<0xAD>":5,"▁":6,"h":7,"i":8,"▁h":9,"▁hi":10,"!":11},
         "merges":["▁ h","▁h i"]}
        """;

    private const string Decoder = """
        {"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},
         {"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]}
        """;

    private const string BosTemplate = """
        {"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
         "pair":[],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}}
        """;

    internal static HfTokenizer Legacy(string? config = null) => HfTokenizer.FromJson($$"""
        {"added_tokens": {{Specials}},
         "normalizer": {"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]},
         "pre_tokenizer": null, "post_processor": {{BosTemplate}}, "decoder": {{Decoder}}, "model": {{Model}} }
        """, config);

    private static HfTokenizer MetaspaceFirst() => HfTokenizer.FromJson($$"""
        {"added_tokens": {{Specials}}, "normalizer": null,
         "pre_tokenizer": {"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false},
         "post_processor": {{BosTemplate}}, "decoder": {{Decoder}}, "model": {{Model}} }
        """);

    [Fact]
    public void Missing_characters_fall_back_to_byte_tokens()
    {
        Assert.Equal([1, 10, 6, 3, 4, 5, 11], Legacy().Encode("hi 中!"));
    }

    [Fact]
    public void Decode_turns_byte_tokens_back_into_text_and_drops_the_prefix_space()
    {
        var tokenizer = Legacy();
        Assert.Equal("hi 中!", tokenizer.Decode([1, 10, 6, 3, 4, 5, 11]));
        Assert.Equal("<s> hi 中!", tokenizer.Decode([1, 10, 6, 3, 4, 5, 11], skipSpecialTokens: false));
    }

    [Fact]
    public void Streaming_holds_back_partial_byte_sequences()
    {
        var stream = Legacy().CreateStreamingDetokenizer();
        int[] ids = [10, 6, 3, 4, 5, 11];
        string[] deltas = [.. ids.Select(stream.Push)];
        Assert.Equal(["hi", " ", "", "", "中", "!"], deltas);
    }

    [Fact]
    public void Metaspace_first_prepends_only_at_the_start_of_the_input()
    {
        var tokenizer = MetaspaceFirst();
        Assert.Equal([1, 10], tokenizer.Encode("hi"));
        Assert.Equal([1, 1, 7, 8], tokenizer.Encode("<s>hi"));
    }

    [Fact]
    public void Llama_style_config_add_bos_and_add_eos_token_override_the_post_processor()
    {
        var config = """{"tokenizer_class":"LlamaTokenizerFast","add_bos_token":false,"add_eos_token":true,"bos_token":"<s>","eos_token":"</s>"}""";
        var tokenizer = Legacy(config);
        Assert.Equal([10, 2], tokenizer.Encode("hi"));
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
    }

    [Fact]
    public void Add_bos_token_of_a_non_llama_tokenizer_leaves_the_post_processor_in_charge()
    {
        var tokenizer = Legacy("""{"tokenizer_class":"PreTrainedTokenizerFast","add_bos_token":false}""");
        Assert.Equal([1, 10], tokenizer.Encode("hi"));
    }
}
