using Microsoft.ML.Tokenizers;
using Rag.Embedding.Batching;

namespace Rag.Embedding.Loading;

/// <summary>A BERT-family <c>vocab.txt</c> through Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>: <c>[CLS] text [SEP]</c>, pairs <c>[CLS] A [SEP] B [SEP]</c>.</summary>
public sealed class WordPieceEmbeddingTokenizer : EmbeddingTokenizer
{
    private readonly BertTokenizer _bert;

    public WordPieceEmbeddingTokenizer(BertTokenizer bert, bool lowerCase)
        : base(lowerCase)
    {
        _bert = bert;
        PairFraming = PairFraming.Bert(bert.ClassificationTokenId, bert.SeparatorTokenId);
    }

    public override Tokenizer Tokenizer => _bert;

    public override int PadId => _bert.PaddingTokenId;

    public override int SpecialTokenCount => 2;

    public override PairFraming PairFraming { get; }

    protected override IReadOnlyList<int> EncodeContent(string text) => _bert.EncodeToIds(text, addSpecialTokens: false);

    protected override EncodedText EncodeFramed(string text, int maxLength)
    {
        var content = _bert.EncodeToIds(text, addSpecialTokens: false);
        var kept = Math.Min(content.Count, Math.Max(0, maxLength - 2));
        var ids = new int[kept + 2];
        ids[0] = _bert.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = content[i];
        }
        ids[^1] = _bert.SeparatorTokenId;
        return new EncodedText(ids, kept < content.Count);
    }
}
