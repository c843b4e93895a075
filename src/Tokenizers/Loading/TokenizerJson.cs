using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rag.Tokenizers.Decoders;
using Rag.Tokenizers.Models;
using Rag.Tokenizers.Normalizers;
using Rag.Tokenizers.PostProcessors;
using Rag.Tokenizers.PreTokenizers;

namespace Rag.Tokenizers;

/// <summary>Reads Hugging Face's <c>tokenizer.json</c> into a <see cref="TokenizerPipeline"/>; anything unknown fails naming it.</summary>
internal static class TokenizerJson
{
    public static TokenizerPipeline Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var model = Model(root.GetProperty("model"));
        var added = root.TryGetProperty("added_tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Array
            ? tokens.EnumerateArray().Select(t => ParseAddedToken(t, t.GetProperty("id").GetInt32())).ToList()
            : [];
        foreach (var token in added)
        {
            if (model.Vocabulary.Token(token.Id) is null)
            {
                model.Vocabulary.Add(token.Content, token.Id);
            }
        }

        return new TokenizerPipeline(
            added,
            Optional(root, "normalizer", Normalizer),
            Optional(root, "pre_tokenizer", PreTokenizer),
            model,
            Optional(root, "post_processor", PostProcessor),
            Optional(root, "decoder", Decoder));
    }

    public static AddedToken ParseAddedToken(JsonElement token, int id) => new(
        id,
        token.GetProperty("content").GetString()!,
        Flag(token, "special"),
        Flag(token, "single_word"),
        Flag(token, "lstrip"),
        Flag(token, "rstrip"),
        Flag(token, "normalized"));

    private static T? Optional<T>(JsonElement root, string name, Func<JsonElement, T> parse) where T : class =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Object ? parse(element) : null;

    private static ITokenModel Model(JsonElement model)
    {
        var type = String(model, "type") ?? (model.TryGetProperty("merges", out _) ? "BPE"
            : model.GetProperty("vocab").ValueKind == JsonValueKind.Array ? "Unigram" : "WordPiece");
        switch (type)
        {
            case "BPE":
                var vocabulary = new Vocabulary(model.GetProperty("vocab").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt32())));
                var merges = model.GetProperty("merges").EnumerateArray().Select(Merge).ToList();
                return new BpeModel(vocabulary, merges, new BpeSettings(
                    String(model, "unk_token"),
                    String(model, "continuing_subword_prefix"),
                    String(model, "end_of_word_suffix"),
                    Flag(model, "fuse_unk"),
                    Flag(model, "byte_fallback"),
                    Flag(model, "ignore_merges")));
            case "WordPiece":
                return new WordPieceModel(
                    new Vocabulary(model.GetProperty("vocab").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt32()))),
                    String(model, "unk_token") ?? "[UNK]",
                    String(model, "continuing_subword_prefix") ?? "##",
                    model.TryGetProperty("max_input_chars_per_word", out var max) ? max.GetInt32() : 100);
            case "Unigram":
                var pieces = model.GetProperty("vocab").EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetDouble())).ToList();
                var unkId = model.TryGetProperty("unk_id", out var unk) && unk.ValueKind == JsonValueKind.Number ? unk.GetInt32() : 0;
                return new UnigramModel(pieces, unkId, Flag(model, "byte_fallback"));
            default:
                throw new NotSupportedException($"tokenizer.json model type '{type}' is not supported.");
        }
    }

    private static (string, string) Merge(JsonElement merge)
    {
        if (merge.ValueKind == JsonValueKind.Array)
        {
            return (merge[0].GetString()!, merge[1].GetString()!);
        }

        var text = merge.GetString()!;
        var space = text.IndexOf(' ', 1);
        if (space < 0)
        {
            throw new InvalidDataException($"BPE merge '{text}' is not two tokens separated by a space.");
        }

        return (text[..space], text[(space + 1)..]);
    }

    private static INormalizer Normalizer(JsonElement n) => Type(n) switch
    {
        "Sequence" => new SequenceNormalizer([.. n.GetProperty("normalizers").EnumerateArray().Select(Normalizer)]),
        "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
        "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
        "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
        "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
        // T5/XLM-R's compiled SentencePiece charsmap is, for practical text, NFKC.
        "Precompiled" => new UnicodeNormalizer(NormalizationForm.FormKC),
        "Lowercase" => new LowercaseNormalizer(),
        "StripAccents" => new StripAccentsNormalizer(),
        "Strip" => new StripNormalizer(FlagOr(n, "strip_left", true), FlagOr(n, "strip_right", true)),
        "Replace" => new ReplaceNormalizer(Pattern(n.GetProperty("pattern")), String(n, "content") ?? string.Empty),
        "Prepend" => new PrependNormalizer(String(n, "prepend") ?? string.Empty),
        "BertNormalizer" => Bert(n),
        var other => throw new NotSupportedException($"tokenizer.json normalizer '{other}' is not supported."),
    };

    private static BertNormalizer Bert(JsonElement n)
    {
        var lowercase = FlagOr(n, "lowercase", true);
        var stripAccents = n.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strip.GetBoolean()
            : lowercase;
        return new BertNormalizer(FlagOr(n, "clean_text", true), FlagOr(n, "handle_chinese_chars", true), stripAccents, lowercase);
    }

    private static IPreTokenizer PreTokenizer(JsonElement p) => Type(p) switch
    {
        "Sequence" => new SequencePreTokenizer([.. p.GetProperty("pretokenizers").EnumerateArray().Select(PreTokenizer)]),
        "ByteLevel" => new ByteLevelPreTokenizer(FlagOr(p, "add_prefix_space", true), FlagOr(p, "use_regex", true)),
        "Split" => new SplitPreTokenizer(Pattern(p.GetProperty("pattern")), Behavior(p), Flag(p, "invert")),
        "Metaspace" => new MetaspacePreTokenizer(Replacement(p), Scheme(p), FlagOr(p, "split", true)),
        "BertPreTokenizer" => new BertPreTokenizer(),
        "Whitespace" => FixedPatternPreTokenizers.Whitespace(),
        "WhitespaceSplit" => FixedPatternPreTokenizers.WhitespaceSplit(),
        "Punctuation" => FixedPatternPreTokenizers.Punctuation(p.TryGetProperty("behavior", out _) ? Behavior(p) : SplitBehavior.Isolated),
        "Digits" => FixedPatternPreTokenizers.Digits(Flag(p, "individual_digits")),
        var other => throw new NotSupportedException($"tokenizer.json pre_tokenizer '{other}' is not supported."),
    };

    private static IPostProcessor PostProcessor(JsonElement p)
    {
        switch (Type(p))
        {
            case "Sequence":
                return new SequencePostProcessor([.. p.GetProperty("processors").EnumerateArray().Select(PostProcessor)]);
            case "ByteLevel":
                return new TemplateProcessor([null]);
            case "BertProcessing":
            case "RobertaProcessing":
                var cls = p.GetProperty("cls")[1].GetInt32();
                var sep = p.GetProperty("sep")[1].GetInt32();
                return new TemplateProcessor([[cls], null, [sep]]);
            case "TemplateProcessing":
                var specials = p.GetProperty("special_tokens").EnumerateObject()
                    .ToDictionary(s => s.Name, s => s.Value.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray());
                return new TemplateProcessor([.. p.GetProperty("single").EnumerateArray().Select(item =>
                    item.TryGetProperty("Sequence", out _) ? null : specials[item.GetProperty("SpecialToken").GetProperty("id").GetString()!])]);
            case var other:
                throw new NotSupportedException($"tokenizer.json post_processor '{other}' is not supported.");
        }
    }

    private static IDecoder Decoder(JsonElement d) => Type(d) switch
    {
        "Sequence" => new SequenceDecoder([.. d.GetProperty("decoders").EnumerateArray().Select(Decoder)]),
        "ByteLevel" => new ByteLevelDecoder(),
        "ByteFallback" => new ByteFallbackDecoder(),
        "Fuse" => new FuseDecoder(),
        "Metaspace" => new MetaspaceDecoder(Replacement(d), Scheme(d) != PrependScheme.Never),
        "WordPiece" => new WordPieceDecoder(String(d, "prefix") ?? "##", FlagOr(d, "cleanup", true)),
        "Replace" => new ReplaceDecoder(Pattern(d.GetProperty("pattern")), String(d, "content") ?? string.Empty, Literal(d.GetProperty("pattern"))),
        "Strip" => new StripDecoder(String(d, "content")![0], d.GetProperty("start").GetInt32(), d.GetProperty("stop").GetInt32()),
        "BPEDecoder" => new BpeSuffixDecoder(String(d, "suffix") ?? "</w>"),
        var other => throw new NotSupportedException($"tokenizer.json decoder '{other}' is not supported."),
    };

    private static Regex Pattern(JsonElement pattern) =>
        pattern.TryGetProperty("Regex", out var regex) ? new Regex(regex.GetString()!, RegexOptions.CultureInvariant)
            : new Regex(Regex.Escape(pattern.GetProperty("String").GetString()!), RegexOptions.CultureInvariant);

    private static string? Literal(JsonElement pattern) => pattern.TryGetProperty("String", out var literal) ? literal.GetString() : null;

    private static SplitBehavior Behavior(JsonElement p) => String(p, "behavior") switch
    {
        "Removed" => SplitBehavior.Removed,
        "Isolated" => SplitBehavior.Isolated,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        var other => throw new NotSupportedException($"tokenizer.json split behavior '{other}' is not supported."),
    };

    private static char Replacement(JsonElement p) => String(p, "replacement") is { Length: > 0 } r ? r[0] : '▁';

    private static PrependScheme Scheme(JsonElement p) => String(p, "prepend_scheme") switch
    {
        "first" => PrependScheme.First,
        "never" => PrependScheme.Never,
        "always" => PrependScheme.Always,
        _ => FlagOr(p, "add_prefix_space", true) ? PrependScheme.Always : PrependScheme.Never,
    };

    private static string Type(JsonElement e) => String(e, "type") ?? throw new InvalidDataException("tokenizer.json component without a type.");

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement e, string name) => FlagOr(e, name, false);

    private static bool FlagOr(JsonElement e, string name, bool fallback) =>
        e.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;
}
