using System.Globalization;
using System.Text;

namespace Rag.Tokenizers.Normalizers;

/// <summary>BERT's normalizer: drop control chars, whitespace to space, spaces around CJK ideographs, accents, lowercase.</summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool stripAccents, bool lowercase) : INormalizer
{
    private static readonly UnicodeNormalizer Nfd = new(NormalizationForm.FormD);
    private static readonly StripAccentsNormalizer Accents = new();
    private static readonly LowercaseNormalizer Lower = new();

    public AlignedText Normalize(AlignedText text)
    {
        var builder = new AlignedTextBuilder(text.Length);
        var s = text.Text;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var origin = text.Origins[i];
            if (cleanText && (c == '\0' || c == '\uFFFD' || IsControl(c)))
            {
                continue;
            }

            if (cleanText && IsWhitespace(c))
            {
                builder.Append(' ', origin);
            }
            else if (handleChineseChars && IsChinese(s, i))
            {
                builder.Append(' ', origin);
                builder.Append(c, origin);
                if (char.IsHighSurrogate(c) && i + 1 < s.Length)
                {
                    builder.Append(s[++i], origin);
                }

                builder.Append(' ', origin);
            }
            else
            {
                builder.Append(c, origin);
            }
        }

        var result = builder.Build(text.Origins[^1]);
        // ASCII has no accents to strip, and NFD is the expensive pass.
        if (stripAccents && !System.Text.Ascii.IsValid(result.Text))
        {
            result = Accents.Normalize(Nfd.Normalize(result));
        }

        return lowercase ? Lower.Normalize(result) : result;
    }

    internal static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r'
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(char c) => c is not ('\t' or '\n' or '\r')
        && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static bool IsChinese(string s, int i)
    {
        var cp = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
        return cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
    }
}
