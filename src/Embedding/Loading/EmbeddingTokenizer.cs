using Microsoft.ML.Tokenizers;
using Rag.Embedding.Batching;

namespace Rag.Embedding.Loading;

/// <summary>
/// The model's own tokenizer plus the framing sentence-transformers applies around every text: optional
/// lower-casing, special tokens around the content (<c>[CLS] … [SEP]</c> for BERT) and truncation of the content so
/// the framed text fits the maximum sequence length (Hugging Face's <c>truncation=True</c> keeps the head).
/// </summary>
public sealed class EmbeddingTokenizer
{
    private readonly Func<string, IReadOnlyList<int>> _encodeContent;
    private readonly int[] _prefix;
    private readonly int[] _suffix;
    private readonly bool _lowerCase;

    /// <param name="tokenizer">The tokenizer as callers see it (e.g. for counting chunk sizes).</param>
    /// <param name="encodeContent">Ids of a text without any special tokens.</param>
    /// <param name="prefix">Special tokens before the content (BERT: <c>[CLS]</c>).</param>
    /// <param name="suffix">Special tokens after the content (BERT: <c>[SEP]</c>).</param>
    /// <param name="padId">Id written into padded positions (they are masked out, but must be a valid id).</param>
    /// <param name="lowerCase">sentence-transformers' <c>do_lower_case</c>, applied to the text before tokenizing.</param>
    public EmbeddingTokenizer(Tokenizer tokenizer, Func<string, IReadOnlyList<int>> encodeContent, int[] prefix, int[] suffix, int padId, bool lowerCase)
    {
        PadId = padId;
        Tokenizer = tokenizer;
        _encodeContent = encodeContent;
        _prefix = prefix;
        _suffix = suffix;
        _lowerCase = lowerCase;
    }

    public Tokenizer Tokenizer { get; }

    public int PadId { get; }

    /// <summary>Number of special tokens added around every text.</summary>
    public int SpecialTokenCount => _prefix.Length + _suffix.Length;

    public EncodedText Encode(string text, int maxLength)
    {
        var content = _encodeContent(_lowerCase ? text.ToLowerInvariant() : text);
        var room = Math.Max(0, maxLength - SpecialTokenCount);
        var kept = Math.Min(content.Count, room);
        var ids = new int[_prefix.Length + kept + _suffix.Length];
        _prefix.CopyTo(ids, 0);
        for (var i = 0; i < kept; i++)
        {
            ids[_prefix.Length + i] = content[i];
        }
        _suffix.CopyTo(ids, _prefix.Length + kept);
        return new EncodedText(ids, kept < content.Count);
    }

    /// <summary>Tokens the model sees for <paramref name="text"/> before truncation, special tokens included.</summary>
    public int CountTokens(string text) => _encodeContent(_lowerCase ? text.ToLowerInvariant() : text).Count + SpecialTokenCount;
}
