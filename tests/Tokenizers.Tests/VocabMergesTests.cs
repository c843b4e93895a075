namespace Rag.Tokenizers.Tests;

public sealed class VocabMergesTests
{
    [Fact]
    public void A_gpt2_style_vocab_json_and_merges_txt_folder_encodes_like_its_tokenizer_json()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("vocab.json"), "{" + ByteLevelBpeTests.Vocab + "}");
        var merges = ByteLevelBpeTests.Merges.Split(',').Select(m => m.Trim().Trim('"'));
        File.WriteAllLines(folder.File("merges.txt"), ["#version: 0.2", .. merges]);
        File.WriteAllText(folder.File("tokenizer_config.json"), """
            {"eos_token": "<|endoftext|>", "added_tokens_decoder": {"1": {"content": "<|im_start|>", "special": true}, "2": {"content": "<|im_end|>", "special": true}}}
            """);
        var tokenizer = HfTokenizer.Load(folder.Path);
        Assert.Equal([1, 15, 20, 2], tokenizer.Encode("<|im_start|>hello world<|im_end|>"));
        Assert.Equal(0, tokenizer.EosTokenId);
        Assert.Equal("hello world", tokenizer.Decode([1, 15, 20, 2]));
    }

    [Fact]
    public void A_chat_template_jinja_beside_the_config_is_the_default_template()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("vocab.json"), "{" + ByteLevelBpeTests.Vocab + "}");
        File.WriteAllText(folder.File("merges.txt"), "h e\n");
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"eos_token": "<|endoftext|>"}""");
        File.WriteAllText(folder.File("chat_template.jinja"), "{{ messages[0].content }}");
        Assert.Equal("{{ messages[0].content }}", HfTokenizer.Load(folder.Path).Config.ChatTemplate());
    }
}
