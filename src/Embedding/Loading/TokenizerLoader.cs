using Microsoft.ML.Tokenizers;
using Rag.Tokenizers;

namespace Rag.Embedding.Loading;

/// <summary>
/// Builds the <see cref="EmbeddingTokenizer"/> of a sentence-transformers folder: <c>vocab.txt</c> (WordPiece, the
/// BERT family) when present, else <c>tokenizer.json</c>.
/// </summary>
public static class TokenizerLoader
{
    public static EmbeddingTokenizer Load(ModelFolder folder)
    {
        var vocab = Path.Combine(folder.Path, "vocab.txt");
        if (File.Exists(vocab))
        {
            return LoadWordPiece(folder, vocab);
        }
        var json = Path.Combine(folder.Path, "tokenizer.json");
        if (File.Exists(json))
        {
            return new HfEmbeddingTokenizer(HfTokenizer.Load(folder.Path), folder.LowerCase);
        }
        throw new FileNotFoundException($"No tokenizer in '{folder.Path}': expected '{vocab}' or '{json}'.", vocab);
    }

    /// <summary>
    /// The same tokenizer, able to encode (query, passage) pairs for a cross-encoder. A <c>tokenizer.json</c>'s
    /// post-processor must frame pairs as BERT or XLM-R does (checked before the tokenizer itself is loaded, so an
    /// unsupported layout is named as such rather than by whatever else the file needs).
    /// </summary>
    public static EmbeddingTokenizer LoadForPairs(ModelFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var vocab = Path.Combine(folder.Path, "vocab.txt");
        var json = Path.Combine(folder.Path, "tokenizer.json");
        if (File.Exists(vocab) || !File.Exists(json))
        {
            return Load(folder);
        }
        var framing = PairFraming.Read(json);
        return new HfEmbeddingTokenizer(HfTokenizer.Load(folder.Path), folder.LowerCase, framing);
    }

    /// <summary>
    /// BERT-family vocabularies, with the normaliser options Hugging Face's BertTokenizer reads from
    /// <c>tokenizer_config.json</c>: <c>strip_accents</c> unset means "strip when lower-casing".
    /// </summary>
    private static WordPieceEmbeddingTokenizer LoadWordPiece(ModelFolder folder, string vocab)
    {
        var config = ConfigFile.Read(Path.Combine(folder.Path, "tokenizer_config.json"));
        var lowerCase = ConfigFile.Bool(config, "do_lower_case") ?? true;
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = ConfigFile.Bool(config, "strip_accents") ?? lowerCase,
            IndividuallyTokenizeCjk = ConfigFile.Bool(config, "tokenize_chinese_chars") ?? true,
            ClassificationToken = ConfigFile.String(config, "cls_token") ?? "[CLS]",
            SeparatorToken = ConfigFile.String(config, "sep_token") ?? "[SEP]",
            PaddingToken = ConfigFile.String(config, "pad_token") ?? "[PAD]",
            UnknownToken = ConfigFile.String(config, "unk_token") ?? "[UNK]",
            MaskingToken = ConfigFile.String(config, "mask_token") ?? "[MASK]",
            // Document text is text: a "[SEP]" written in it must not become the separator.
            SplitOnSpecialTokens = false,
        };
        return new WordPieceEmbeddingTokenizer(BertTokenizer.Create(vocab, options), folder.LowerCase);
    }
}
