using System.Text.Json;

namespace Rag.Tokenizers.Tests;

/// <summary>HfTokenizer seen through Microsoft.ML.Tokenizers' Tokenizer, as the chunker uses it.</summary>
public sealed class TokenizerAdapterTests
{
    [Fact]
    public void Count_and_index_by_token_count_follow_token_boundaries()
    {
        var tokenizer = ByteLevelBpeTests.Create().AsTokenizer();
        const string text = "hello world\nhello";
        // hello | Ġworld | Ċ | hello
        Assert.Equal(4, tokenizer.CountTokens(text));
        Assert.Equal(11, tokenizer.GetIndexByTokenCount(text, 2, out _, out var count));
        Assert.Equal(2, count);
        Assert.Equal(12, tokenizer.GetIndexByTokenCountFromEnd(text, 1, out _, out var fromEnd));
        Assert.Equal(1, fromEnd);
    }

    [Fact]
    public void Encode_to_tokens_reports_ids_and_offsets()
    {
        var tokens = ByteLevelBpeTests.Create().AsTokenizer().EncodeToTokens("hello world", out _);
        Assert.Equal([15, 20], tokens.Select(t => t.Id));
        Assert.Equal([(0, 5), (5, 11)], tokens.Select(t => (t.Offset.Start.Value, t.Offset.End.Value)));
        Assert.Equal("hello world", ByteLevelBpeTests.Create().AsTokenizer().Decode([15, 20]));
    }

    [Fact]
    public void Index_by_token_count_in_a_long_text_equals_the_cut_of_its_whole_encoding()
    {
        var hf = ByteLevelBpeTests.Create();
        var text = string.Concat(Enumerable.Repeat("hello world\nhello  hello\tworld ", 2_000));
        AssertCutsAsWholeEncoding(hf, text);
        var whole = hf.EncodeWithOffsets(text, addSpecialTokens: false, parseSpecialTokens: false);
        foreach (var limit in new[] { 1, 7, 64, 300 })
        {
            Assert.Equal(limit, hf.AsTokenizer().CountTokens(text.AsSpan(0, whole.Offsets[limit - 1].End)));
        }
    }

    public static TheoryData<string, string> UnbrokenTexts() => new()
    {
        { "bpe", "base64" }, { "bpe", "cjk" }, { "wordpiece", "base64" }, { "wordpiece", "cjk" },
    };

    /// <summary>
    /// Without whitespace the leading window is cut mid-word, where its last tokens differ from the whole text's:
    /// WordPiece turns a word over 100 chars into one [UNK] but a short cut of it into pieces, BPE merges the bytes
    /// of a CJK char or an emoji only when all of them are in the window.
    /// </summary>
    [Theory]
    [MemberData(nameof(UnbrokenTexts))]
    public void Index_by_token_count_in_an_unbroken_text_equals_the_cut_of_its_whole_encoding(string model, string kind) =>
        AssertCutsAsWholeEncoding(model == "bpe" ? FullByteBpe() : SingleCharWordPiece(), Unbroken(kind, 200_000));

    [Fact]
    public void Index_by_token_count_in_an_unbroken_text_encodes_only_a_leading_window()
    {
        var tokenizer = FullByteBpe().AsTokenizer();
        var text = Unbroken("base64", 200_000);
        tokenizer.GetIndexByTokenCount(text, 100, out _, out _);
        // Allocation, unlike time, is exact: encoding the whole text takes tens of bytes per char (offsets, tokens).
        var before = GC.GetAllocatedBytesForCurrentThread();
        tokenizer.GetIndexByTokenCount(text, 100, out _, out _);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, text.Length * 4);
    }

    private static void AssertCutsAsWholeEncoding(HfTokenizer hf, string text)
    {
        var tokenizer = hf.AsTokenizer();
        var whole = hf.EncodeWithOffsets(text, addSpecialTokens: false, parseSpecialTokens: false);

        foreach (var limit in Enumerable.Range(1, 100).Concat([300, 1_000, 5_000, whole.Ids.Length - 1]))
        {
            // Only a leading window is encoded for a small limit: the cut must be where the whole encoding puts it.
            Assert.Equal(whole.Offsets[limit - 1].End, tokenizer.GetIndexByTokenCount(text, limit, out _, out var count));
            Assert.Equal(limit, count);
        }
        Assert.Equal(whole.Ids.Length, tokenizer.CountTokens(text));
    }

    /// <summary>Base64-like runs of letters between '+' and '/', or CJK with an emoji now and then.</summary>
    private static string Unbroken(string kind, int length)
    {
        var random = new Random(7);
        var chars = new System.Text.StringBuilder(length);
        while (chars.Length < length)
        {
            if (kind == "base64")
            {
                // Mostly long runs, so that many words exceed WordPiece's 100 chars.
                chars.Append(random.Next(300) == 0 ? "+/"[random.Next(2)] : (char)('a' + random.Next(26)));
            }
            else
            {
                chars.Append(random.Next(20) == 0 ? "😀" : "中文字词"[random.Next(4)].ToString());
            }
        }
        return chars.ToString();
    }

    /// <summary>A byte-level BPE over all 256 bytes that merges letter pairs and the bytes of 中 and 😀.</summary>
    private static HfTokenizer FullByteBpe()
    {
        var vocab = ByteLevelAlphabet.ByteToChar.Select((c, b) => (Token: c.ToString(), Id: b)).ToList();
        var merges = new List<string[]>();
        void Merge(string left, string right)
        {
            merges.Add([left, right]);
            vocab.Add((left + right, vocab.Count));
        }
        for (var c = 'a'; c < 'z'; c += (char)2)
        {
            Merge(c.ToString(), ((char)(c + 1)).ToString());
        }
        Merge("a", "ab");
        Merge("ä", "¸");
        Merge("ä¸", "Ń");
        Merge("ð", "Ł");
        Merge("ĺ", "Ģ");
        Merge("ðŁ", "ĺĢ");
        var json = JsonSerializer.Serialize(new
        {
            added_tokens = Array.Empty<object>(),
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            model = new { type = "BPE", vocab = vocab.ToDictionary(v => v.Token, v => v.Id), merges },
        });
        return HfTokenizer.FromJson(json);
    }

    /// <summary>An uncased BERT whose vocabulary holds every letter and CJK char used, alone and as a continuation.</summary>
    private static HfTokenizer SingleCharWordPiece()
    {
        string[] chars = [.. "abcdefghijklmnopqrstuvwxyz+/中文字".Select(c => c.ToString())];
        string[] tokens = ["[UNK]", .. chars, .. chars.Select(c => "##" + c), "ab", "##ab"];
        var json = JsonSerializer.Serialize(new
        {
            added_tokens = Array.Empty<object>(),
            normalizer = new { type = "BertNormalizer", clean_text = true, handle_chinese_chars = true, strip_accents = (bool?)null, lowercase = true },
            pre_tokenizer = new { type = "BertPreTokenizer" },
            model = new
            {
                type = "WordPiece", unk_token = "[UNK]", continuing_subword_prefix = "##", max_input_chars_per_word = 100,
                vocab = tokens.Select((t, id) => (t, id)).ToDictionary(v => v.t, v => v.id),
            },
        });
        return HfTokenizer.FromJson(json);
    }
}
