using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.ML.Tokenizers;

namespace Rag.Tokenizers;

/// <summary>
/// <see cref="HfTokenizer"/> behind Microsoft.ML.Tokenizers' <see cref="Tokenizer"/>, so code written against that
/// abstraction (the chunker's CountTokens / GetIndexByTokenCount) works with any HF model folder.
/// Special tokens are neither added nor parsed: chunk text is measured as it will be embedded between [CLS] and [SEP].
/// </summary>
internal sealed class HfTokenizerAdapter(HfTokenizer tokenizer) : Tokenizer
{
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text ?? textSpan.ToString();
        var spans = EncodeLeading(input, settings.MaxTokenCount);
        var count = Math.Min(spans.Count, settings.MaxTokenCount);
        var tokens = new List<EncodedToken>(count);
        for (var i = 0; i < count; i++)
        {
            var (id, start, end) = spans[i];
            tokens.Add(new EncodedToken(id, tokenizer.IdToToken(id) ?? string.Empty, new Range(start, end)));
        }

        return new EncodeResults<EncodedToken>
        {
            Tokens = tokens,
            NormalizedText = null,
            CharsConsumed = count == spans.Count ? input.Length : spans[count].Start,
        };
    }

    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        Math.Min(EncodeLeading(text ?? textSpan.ToString(), settings.MaxTokenCount).Count, settings.MaxTokenCount);

    /// <summary>
    /// At least the first <paramref name="maxTokens"/> + 1 tokens of <paramref name="text"/> (all of them when it has
    /// fewer). The chunker asks for the first chunk's worth of a long paragraph again and again as it walks through it,
    /// so encoding the whole rest each time made chunking quadratic (a 100 KB paragraph took minutes). A window that
    /// ends before whitespace encodes its words as the whole text does; it doubles until it holds enough tokens.
    /// Text without whitespace nearby (base64, minified JSON, unspaced CJK) is cut mid-word instead, which can change
    /// the tokens near the cut, so such a window counts only once a window twice as long starts with the same tokens.
    /// </summary>
    private List<TokenSpan> EncodeLeading(string text, int maxTokens)
    {
        var window = maxTokens >= text.Length / 4 ? text.Length : Math.Max((maxTokens + 2) * 8, MinWindow);
        List<TokenSpan>? unconfirmed = null;
        for (; window < text.Length; window *= 2)
        {
            var end = WindowEnd(text, window);
            var spans = tokenizer.EncodeText(text[..end], parseSpecialTokens: false);
            // One token of margin keeps the one after the limit exact too.
            if (spans.Count <= maxTokens + 1)
            {
                continue;
            }
            if (Whitespace.Contains(text[end]) || unconfirmed is not null && StartSame(unconfirmed, spans, maxTokens + 1))
            {
                return spans;
            }
            unconfirmed = spans;
        }
        return tokenizer.EncodeText(text, parseSpecialTokens: false);
    }

    /// <summary>
    /// Two windows cut mid-word lie at least this far apart, more than the longest word a model splits into pieces
    /// (WordPiece makes one [UNK] of longer ones), so such a word cannot give both windows the same wrong pieces.
    /// </summary>
    private const int MinWindow = 1024;

    /// <summary>Before the first whitespace at or after <paramref name="window"/> within as far again, else at it.</summary>
    private static int WindowEnd(string text, int window)
    {
        var space = text.AsSpan(window, Math.Min(window, text.Length - window)).IndexOfAny(Whitespace);
        if (space >= 0)
        {
            return window + space;
        }
        return char.IsHighSurrogate(text[window - 1]) && char.IsLowSurrogate(text[window]) ? window - 1 : window;
    }

    private static bool StartSame(List<TokenSpan> a, List<TokenSpan> b, int count) =>
        CollectionsMarshal.AsSpan(a)[..count].SequenceEqual(CollectionsMarshal.AsSpan(b)[..count]);

    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n");

    public override string Decode(IEnumerable<int> ids) => tokenizer.Decode([.. ids]);

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        var all = ids.ToArray();
        var text = tokenizer.Decode(all);
        if (text.Length > destination.Length)
        {
            idsConsumed = 0;
            charsWritten = 0;
            return OperationStatus.DestinationTooSmall;
        }

        text.CopyTo(destination);
        idsConsumed = all.Length;
        charsWritten = text.Length;
        return OperationStatus.Done;
    }
}
