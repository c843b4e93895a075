using Microsoft.ML.Tokenizers;
using Rag.Embedding.Batching;

namespace Rag.Embedding.Loading;

/// <summary>
/// The model's own tokenizer with the framing sentence-transformers applies around every text: optional
/// lower-casing (<c>do_lower_case</c> in sentence_bert_config.json), the special tokens, and truncation that keeps
/// the head of the text so the framed result fits the maximum sequence length (Hugging Face's <c>truncation=True</c>).
/// </summary>
public abstract class EmbeddingTokenizer
{
    private readonly bool _lowerCase;

    protected EmbeddingTokenizer(bool lowerCase) => _lowerCase = lowerCase;

    /// <summary>The tokenizer as callers see it, e.g. to count chunk sizes in the model's tokens.</summary>
    public abstract Tokenizer Tokenizer { get; }

    /// <summary>Id written into padded positions: they are masked out, but must still be a valid id.</summary>
    public abstract int PadId { get; }

    /// <summary>Tokens framed and cut to at most <paramref name="maxLength"/>.</summary>
    public EncodedText Encode(string text, int maxLength) => EncodeFramed(Cased(text), maxLength);

    /// <summary>Special tokens added around every text (2 for BERT's <c>[CLS] … [SEP]</c>).</summary>
    public abstract int SpecialTokenCount { get; }

    /// <summary>Tokens the model sees for <paramref name="text"/> before truncation, special tokens included.</summary>
    public int CountTokens(string text) => Tokenizer.CountTokens(Cased(text)) + SpecialTokenCount;

    /// <summary>How this tokenizer frames a text pair, or null when it was not loaded for pairs (<see cref="TokenizerLoader.LoadForPairs"/>).</summary>
    public abstract PairFraming? PairFraming { get; }

    /// <summary>
    /// A (query, passage) pair as a cross-encoder takes it, e.g. <c>[CLS] first [SEP] second [SEP]</c> with the second
    /// segment's start recorded for its token types, cut to at most <paramref name="maxLength"/> (see <see cref="Loading.PairFraming"/>).
    /// </summary>
    public EncodedText EncodePair(string first, string second, int maxLength) => EncodePairs(first, [second], maxLength)[0];

    /// <summary>One pair per second text, all with the same first text, which is tokenized once (a query and its candidates).</summary>
    public EncodedText[] EncodePairs(string first, IReadOnlyList<string> seconds, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var framing = PairFraming ?? throw new InvalidOperationException("This tokenizer was not loaded for text pairs.");
        var firstIds = EncodeContent(Cased(first));
        var pairs = new EncodedText[seconds.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = framing.Frame(firstIds, EncodeContent(Cased(seconds[i])), maxLength);
        }
        return pairs;
    }

    protected abstract EncodedText EncodeFramed(string text, int maxLength);

    /// <summary>The text's tokens without special tokens.</summary>
    protected abstract IReadOnlyList<int> EncodeContent(string text);

    private string Cased(string text) => _lowerCase ? text.ToLowerInvariant() : text;
}
