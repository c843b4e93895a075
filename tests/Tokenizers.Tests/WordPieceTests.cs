namespace Rag.Tokenizers.Tests;

/// <summary>A tiny BERT (uncased) tokenizer; expected ids worked out by hand from the vocabulary below.</summary>
public sealed class WordPieceTests
{
    private static readonly string[] VocabLines =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "hello", "!", "cafe", ",", "world", "##s"];

    private static HfTokenizer Create()
    {
        var vocab = string.Join(", ", VocabLines.Select((token, id) => $"\"{token}\": {id}"));
        return HfTokenizer.FromJson($$"""
            {
              "added_tokens": [
                {"id":0,"content":"[PAD]","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
                {"id":1,"content":"[UNK]","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
                {"id":2,"content":"[CLS]","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false},
                {"id":3,"content":"[SEP]","special":true,"single_word":false,"lstrip":false,"rstrip":false,"normalized":false}],
              "normalizer": {"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true},
              "pre_tokenizer": {"type":"BertPreTokenizer"},
              "post_processor": {"type":"TemplateProcessing",
                "single":[{"SpecialToken":{"id":"[CLS]","type_id":0} },{"Sequence":{"id":"A","type_id":0} },{"SpecialToken":{"id":"[SEP]","type_id":0} }],
                "pair":[],"special_tokens":{"[CLS]":{"id":"[CLS]","ids":[2],"tokens":["[CLS]"]},"[SEP]":{"id":"[SEP]","ids":[3],"tokens":["[SEP]"]} } },
              "decoder": {"type":"WordPiece","prefix":"##","cleanup":true},
              "model": {"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,"vocab":{ {{vocab}} } }
            }
            """);
    }

    [Theory]
    [InlineData("Unaffable, hello!", new[] { 2, 5, 6, 7, 11, 8, 9, 3 })]
    [InlineData("Café\tworlds", new[] { 2, 10, 12, 13, 3 })]
    [InlineData("xyz hello", new[] { 2, 1, 8, 3 })]
    [InlineData("中hello", new[] { 2, 1, 8, 3 })]
    [InlineData("[CLS] hello", new[] { 2, 2, 8, 3 })]
    public void Wordpiece_lowercases_strips_accents_and_splits_into_continuations(string text, int[] expected) =>
        Assert.Equal(expected, Create().Encode(text));

    [Fact]
    public void Decode_glues_continuations_and_cleans_punctuation_spaces() =>
        Assert.Equal("unaffable, hello!", Create().Decode([2, 5, 6, 7, 11, 8, 9, 3]));

    [Fact]
    public void Streaming_wordpiece_glues_continuations_and_matches_decode()
    {
        var stream = Create().CreateStreamingDetokenizer();
        int[] ids = [2, 5, 6, 7, 11, 8, 9, 3];
        string[] deltas = [.. ids.Select(stream.Push)];
        Assert.Equal(["", "un", "aff", "able", ",", " hello", "!", ""], deltas);
    }

    [Fact]
    public void Offsets_cover_the_original_accented_text()
    {
        var encoded = Create().EncodeWithOffsets("Café worlds", addSpecialTokens: false);
        Assert.Equal([10, 12, 13], encoded.Ids);
        Assert.Equal([(0, 4), (5, 10), (10, 11)], encoded.Offsets);
    }

    [Fact]
    public void A_vocab_txt_folder_loads_as_bert_uncased()
    {
        using var folder = new TempFolder();
        File.WriteAllLines(folder.File("vocab.txt"), VocabLines);
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 512, "unk_token": "[UNK]"}""");
        var tokenizer = HfTokenizer.Load(folder.Path);
        Assert.Equal([2, 5, 6, 7, 11, 8, 9, 3], tokenizer.Encode("Unaffable, hello!"));
        Assert.Equal(512, tokenizer.ModelMaxLength);
        Assert.Equal(1, tokenizer.UnkTokenId);
    }
}
