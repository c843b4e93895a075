using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Rag.Tokenizers.Decoders;
using Rag.Tokenizers.Models;
using Rag.Tokenizers.Normalizers;
using Rag.Tokenizers.PostProcessors;
using Rag.Tokenizers.PreTokenizers;

namespace Rag.Tokenizers;

/// <summary>
/// Builds the pipeline from whichever files a model folder has, in HF's order of preference:
/// tokenizer.json, then vocab.json + merges.txt (GPT-2), tokenizer.model (SentencePiece), vocab.txt (BERT).
/// </summary>
internal static class TokenizerFolder
{
    private static readonly string[] BertSpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    public static TokenizerPipeline Load(string folder, TokenizerConfig config)
    {
        var json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json))
        {
            return TokenizerJson.Parse(File.ReadAllText(json));
        }

        var vocabJson = Path.Combine(folder, "vocab.json");
        var merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocabJson) && File.Exists(merges))
        {
            return Gpt2(File.ReadAllText(vocabJson), File.ReadAllLines(merges), config);
        }

        var model = Path.Combine(folder, "tokenizer.model");
        if (File.Exists(model))
        {
            using var stream = File.OpenRead(model);
            return SentencePiece(SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false), config);
        }

        var vocabTxt = Path.Combine(folder, "vocab.txt");
        if (File.Exists(vocabTxt))
        {
            return Bert(File.ReadAllLines(vocabTxt), config);
        }

        throw new FileNotFoundException(
            $"No tokenizer in '{folder}': expected tokenizer.json, vocab.json + merges.txt, tokenizer.model or vocab.txt.");
    }

    public static TokenizerPipeline Gpt2(string vocabJson, IEnumerable<string> mergeLines, TokenizerConfig config)
    {
        var entries = JsonSerializer.Deserialize<Dictionary<string, int>>(vocabJson)
            ?? throw new InvalidDataException("vocab.json is empty.");
        var merges = mergeLines.Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal))
            .Select(l => l.Split(' ', 2)).Select(p => (p[0], p[1])).ToList();
        var model = new BpeModel(new Vocabulary(entries), merges, new BpeSettings(config.UnkToken));
        return new TokenizerPipeline(
            Added(model.Vocabulary, config), null, new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true), model, null, new ByteLevelDecoder());
    }

    /// <summary>
    /// A BERT <c>vocab.txt</c> as transformers' BertTokenizerFast converts it to a tokenizer.json: BertNormalizer with
    /// the config's lower-casing, accent and CJK settings, BertPreTokenizer, WordPiece, <c>[CLS] … [SEP]</c>.
    /// </summary>
    public static TokenizerPipeline Bert(IEnumerable<string> vocabLines, TokenizerConfig config)
    {
        var vocabulary = new Vocabulary(vocabLines.Select((token, id) => KeyValuePair.Create(token, id)));
        var lowercase = config.DoLowerCase ?? true;
        var unk = config.UnkToken ?? "[UNK]";
        var clsToken = config.ClsToken ?? "[CLS]";
        var sepToken = config.SepToken ?? "[SEP]";
        var cls = vocabulary.Id(clsToken) ?? throw new InvalidDataException($"vocab.txt has no {clsToken}.");
        var sep = vocabulary.Id(sepToken) ?? throw new InvalidDataException($"vocab.txt has no {sepToken}.");
        var specials = BertSpecialTokens.Concat([clsToken, sepToken, unk]).Distinct()
            .Where(t => vocabulary.Id(t) is not null)
            .Select(t => new AddedToken(vocabulary.Id(t)!.Value, t, Special: true));
        return new TokenizerPipeline(
            [.. specials, .. config.AddedTokens],
            new BertNormalizer(cleanText: true, config.TokenizeChineseChars ?? true, config.StripAccents ?? lowercase, lowercase),
            new BertPreTokenizer(),
            new WordPieceModel(vocabulary, unk, "##", 100),
            new TemplateProcessor([[cls], null, [sep]]),
            new WordPieceDecoder("##", cleanup: true));
    }

    private static TokenizerPipeline SentencePiece(SentencePieceTokenizer tokenizer, TokenizerConfig config)
    {
        var model = new SentencePieceModel(tokenizer);
        IDecoder[] decoders = [new ReplaceDecoder(new Regex("▁"), " ", "▁"), new ByteFallbackDecoder(), new FuseDecoder()];
        return new TokenizerPipeline(
            Added(model.Vocabulary, config),
            null,
            null,
            model,
            null,
            new SequenceDecoder(tokenizer.AddDummyPrefix ? [.. decoders, new StripDecoder(' ', 1, 0)] : decoders));
    }

    /// <summary>Without tokenizer.json, special tokens come from tokenizer_config.json and the named bos/eos/unk/pad.</summary>
    private static List<AddedToken> Added(Vocabulary vocabulary, TokenizerConfig config)
    {
        var added = config.AddedTokens.ToList();
        foreach (var token in new[] { config.BosToken, config.EosToken, config.UnkToken, config.PadToken })
        {
            if (vocabulary.Id(token) is { } id && added.All(a => a.Content != token))
            {
                added.Add(new AddedToken(id, token!, Special: true));
            }
        }

        foreach (var token in added.Where(a => vocabulary.Token(a.Id) is null))
        {
            vocabulary.Add(token.Content, token.Id);
        }

        return added;
    }
}
