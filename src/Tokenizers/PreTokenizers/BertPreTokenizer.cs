using System.Globalization;
using System.Text;

namespace Rag.Tokenizers.PreTokenizers;

/// <summary>
/// BERT's basic tokenizer split, as Hugging Face's BertPreTokenizer: on whitespace (dropped) and around each
/// punctuation code point (kept alone) — ASCII punctuation, which includes <c>$ + &lt; = &gt; ^ ` | ~ _</c>, and the
/// Unicode punctuation categories. Symbols such as € ≈ ½ and emoji are not punctuation and stay inside their word.
/// </summary>
internal sealed class BertPreTokenizer : IPreTokenizer
{
    public void Split(AlignedText piece, List<AlignedText> output)
    {
        var text = piece.Text;
        var start = 0;
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
            var space = Rune.IsWhiteSpace(rune);
            if (space || IsPunctuation(rune))
            {
                if (i > start)
                {
                    output.Add(piece.Slice(start, i - start));
                }

                if (!space)
                {
                    output.Add(piece.Slice(i, width));
                }

                start = i + width;
            }
            i += width;
        }

        if (text.Length > start)
        {
            output.Add(piece.Slice(start, text.Length - start));
        }
    }

    private static bool IsPunctuation(Rune rune) => rune.Value is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~')
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
