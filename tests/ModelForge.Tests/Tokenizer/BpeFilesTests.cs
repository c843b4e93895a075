using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using Rag.ModelForge.Tokenizer;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Tokenizer;

public sealed class BpeFilesTests
{
    public static TheoryData<string> Texts =>
    [
        "Hello world",
        "The cat sat on the mat near the window.",
        "  leading spaces,\ttabs\nand new lines\r\n",
        "Numbers 12345 and 3.14159; symbols #@$%^&*()!",
        "Ünïcödé: café, naïve, 東京, Привет, emoji 🦀🚀",
        "don't won't they're I'm we'll you've he'd",
        "<|im_start|>user\nHi<|im_end|>",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Vocab_and_merges_round_trip_every_test_string_through_a_byte_level_bpe_tokenizer(string text)
    {
        var tokenizer = Load(ForgedModels.Decoder());

        var ids = tokenizer.EncodeToIds(text);

        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Learned_merges_compress_ordinary_english()
    {
        var tokenizer = Load(ForgedModels.Decoder());
        const string text = "The library opens at nine in the morning and the students read books about science.";

        var ids = tokenizer.EncodeToIds(text);

        Assert.True(ids.Count < text.Length / 2, $"{ids.Count} tokens for {text.Length} characters");
    }

    [Fact]
    public void Tokenizer_json_agrees_with_vocab_json_and_merges_txt_and_declares_the_special_tokens()
    {
        var folder = ForgedModels.Decoder();
        var tokenizerJson = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")))!;
        var model = tokenizerJson["model"]!;
        Assert.Equal("BPE", (string)model["type"]!);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "vocab.json")).Trim(), model["vocab"]!.ToJsonString(new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var merges = File.ReadAllLines(Path.Combine(folder, "merges.txt")).Skip(1).ToArray();
        Assert.Equal(merges, model["merges"]!.AsArray().Select(m => (string)m!).ToArray());
        Assert.Equal("ByteLevel", (string)tokenizerJson["decoder"]!["type"]!);

        var vocabSize = model["vocab"]!.AsObject().Count - BpeModel.SpecialTokens.Count;
        var added = tokenizerJson["added_tokens"]!.AsArray();
        Assert.Equal(BpeModel.SpecialTokens, added.Select(t => (string)t!["content"]!));
        Assert.All(added, t => Assert.True((bool)t!["special"]!));
        Assert.Equal(Enumerable.Range(vocabSize, 3), added.Select(t => (int)t!["id"]!));

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal(vocabSize + 3, (int)config["vocab_size"]!);
        var generation = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "generation_config.json")))!;
        Assert.Contains(vocabSize + 2, generation["eos_token_id"]!.AsArray().Select(t => (int)t!));
        var tokenizerConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!;
        Assert.Equal(BpeModel.ImEnd, (string)tokenizerConfig["eos_token"]!);
        Assert.Contains("<|im_start|>", (string)tokenizerConfig["chat_template"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_is_deterministic_and_never_repeats_a_vocabulary_entry()
    {
        var first = BpeTrainer.Learn(Corpus.BuiltIn, 500);
        var again = BpeTrainer.Learn(Corpus.BuiltIn, 500);
        Assert.Equal(first.Merges, again.Merges);
        Assert.Equal(first.Vocabulary.Count, first.Vocabulary.Distinct(StringComparer.Ordinal).Count());
        Assert.All(first.Merges, m => Assert.Contains(m.Left + m.Right, first.Vocabulary));
    }

    internal static CodeGenTokenizer Load(string folder)
    {
        using var vocab = File.OpenRead(Path.Combine(folder, "vocab.json"));
        using var merges = File.OpenRead(Path.Combine(folder, "merges.txt"));
        return CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
    }
}
