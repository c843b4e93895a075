using Rag.Tokenizers;

namespace Rag.Embedding.Loading;

/// <summary>
/// Builds the <see cref="EmbeddingTokenizer"/> of a sentence-transformers folder through the loader shared with the
/// LLM engine, whichever tokenizer files the folder has (<c>tokenizer.json</c>, else a BERT <c>vocab.txt</c> with
/// <c>tokenizer_config.json</c>'s lower-casing, accent and CJK settings): one exact implementation for both.
/// </summary>
public static class TokenizerLoader
{
    public static EmbeddingTokenizer Load(ModelFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return new HfEmbeddingTokenizer(HfTokenizer.Load(folder.Path), folder.LowerCase);
    }

    /// <summary>
    /// The same tokenizer, able to encode (query, passage) pairs for a cross-encoder. A <c>tokenizer.json</c>'s
    /// post-processor must frame pairs as BERT or XLM-R does (checked before the tokenizer itself is loaded, so an
    /// unsupported layout is named as such rather than by whatever else the file needs); a <c>vocab.txt</c> frames
    /// them as BERT.
    /// </summary>
    public static EmbeddingTokenizer LoadForPairs(ModelFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var json = Path.Combine(folder.Path, "tokenizer.json");
        var framing = File.Exists(json) ? PairFraming.Read(json) : null;
        var hf = HfTokenizer.Load(folder.Path);
        framing ??= PairFraming.Bert(
            hf.TokenToId(hf.Config.ClsToken ?? "[CLS]") ?? throw new InvalidDataException($"'{folder.Path}' has no [CLS] token for text pairs."),
            hf.TokenToId(hf.Config.SepToken ?? "[SEP]") ?? throw new InvalidDataException($"'{folder.Path}' has no [SEP] token for text pairs."));
        return new HfEmbeddingTokenizer(hf, folder.LowerCase, framing);
    }
}
