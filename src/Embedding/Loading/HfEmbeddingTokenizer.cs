using Microsoft.ML.Tokenizers;
using Rag.Embedding.Batching;
using Rag.Tokenizers;

namespace Rag.Embedding.Loading;

/// <summary>
/// A <c>tokenizer.json</c> through the loader shared with the LLM engine; its post-processor adds the special tokens
/// (e.g. <c>[CLS] … [SEP]</c>, or a trailing EOS for last-token pooled decoder embedders).
/// </summary>
public sealed class HfEmbeddingTokenizer : EmbeddingTokenizer
{
    private readonly HfTokenizer _hf;

    /// <param name="pairFraming">The pair template read from the same tokenizer.json, when pairs will be encoded.</param>
    public HfEmbeddingTokenizer(HfTokenizer hf, bool lowerCase, PairFraming? pairFraming = null)
        : base(lowerCase)
    {
        _hf = hf;
        PairFraming = pairFraming;
        Tokenizer = hf.AsTokenizer();
        SpecialTokenCount = hf.Encode("", addSpecialTokens: true).Length;
        PadId = hf.PadTokenId ?? hf.EosTokenId ?? 0;
    }

    public override Tokenizer Tokenizer { get; }

    public override int PadId { get; }

    public override int SpecialTokenCount { get; }

    public override PairFraming? PairFraming { get; }

    protected override IReadOnlyList<int> EncodeContent(string text) => _hf.Encode(text, addSpecialTokens: false, parseSpecialTokens: false);

    protected override EncodedText EncodeFramed(string text, int maxLength)
    {
        var (ids, truncated) = _hf.EncodeIds(text, addSpecialTokens: true, maxTokens: maxLength, parseSpecialTokens: false);
        return new EncodedText(ids, truncated);
    }
}
