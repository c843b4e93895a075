using Microsoft.ML.Tokenizers;

namespace Rag.Embedding.Loading;

/// <summary>Builds the <see cref="EmbeddingTokenizer"/> of a sentence-transformers folder.</summary>
public static class TokenizerLoader
{
    public static EmbeddingTokenizer Load(ModelFolder folder)
    {
        var vocab = Path.Combine(folder.Path, "vocab.txt");
        if (File.Exists(vocab))
        {
            return LoadWordPiece(folder, vocab);
        }
        throw new FileNotFoundException(
            $"No tokenizer in '{folder.Path}': expected '{vocab}' (WordPiece vocabulary).", vocab);
    }

    /// <summary>
    /// BERT-family vocabularies, with the normaliser options Hugging Face's BertTokenizer reads from
    /// <c>tokenizer_config.json</c>: <c>strip_accents</c> unset means "strip when lower-casing".
    /// </summary>
    private static EmbeddingTokenizer LoadWordPiece(ModelFolder folder, string vocab)
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
        };
        var bert = BertTokenizer.Create(vocab, options);
        return new EmbeddingTokenizer(
            bert,
            text => bert.EncodeToIds(text, addSpecialTokens: false),
            [bert.ClassificationTokenId],
            [bert.SeparatorTokenId],
            bert.PaddingTokenId,
            folder.LowerCase);
    }
}
