using System.Buffers;
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
    /// </summary>
    private List<TokenSpan> EncodeLeading(string text, int maxTokens)
    {
        var window = maxTokens >= text.Length / 4 ? text.Length : (maxTokens + 2) * 8;
        while (true)
        {
            var cut = window >= text.Length ? -1 : text.AsSpan(window).IndexOfAny(Whitespace);
            if (cut < 0)
            {
                return tokenizer.EncodeText(text, parseSpecialTokens: false);
            }
            var spans = tokenizer.EncodeText(text[..(window + cut)], parseSpecialTokens: false);
            // The window's last word may differ from its encoding in the whole text only when cut mid-word, which a
            // cut before whitespace never does; one token of margin keeps the one after the limit exact too.
            if (spans.Count > maxTokens + 1)
            {
                return spans;
            }
            window *= 2;
        }
    }

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
