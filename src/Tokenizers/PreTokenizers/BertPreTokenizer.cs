using System.Globalization;

namespace Rag.Tokenizers.PreTokenizers;

/// <summary>BERT's basic tokenizer split: on whitespace (dropped) and around each punctuation char (kept alone).</summary>
internal sealed class BertPreTokenizer : IPreTokenizer
{
    public void Split(AlignedText piece, List<AlignedText> output)
    {
        var text = piece.Text;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || IsPunctuation(c))
            {
                if (i > start)
                {
                    output.Add(piece.Slice(start, i - start));
                }

                if (!char.IsWhiteSpace(c))
                {
                    output.Add(piece.Slice(i, 1));
                }

                start = i + 1;
            }
        }

        if (text.Length > start)
        {
            output.Add(piece.Slice(start, text.Length - start));
        }
    }

    private static bool IsPunctuation(char c) => c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~')
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
