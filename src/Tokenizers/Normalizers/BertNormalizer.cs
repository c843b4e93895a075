using System.Globalization;
using System.Text;

namespace Rag.Tokenizers.Normalizers;

/// <summary>
/// Hugging Face's BertNormalizer, step for step: clean text (drop NUL, U+FFFD and every "other" code point — control,
/// format such as zero-width space and soft hyphen, private use, unassigned — then whitespace to a space), spaces
/// around CJK ideographs, strip accents (NFD, then drop non-spacing marks), lowercase. Works per code point, so
/// characters outside the BMP (emoji, CJK extensions) are judged whole; NFD comes from <see cref="UnicodeData"/>,
/// independent of ICU and the globalization mode.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool stripAccents, bool lowercase) : INormalizer
{
    private static readonly UnicodeNormalizer Nfd = new(NormalizationForm.FormD);
    private static readonly LowercaseNormalizer Lower = new();

    public AlignedText Normalize(AlignedText text)
    {
        var builder = new AlignedTextBuilder(text.Length);
        var s = text.Text;
        for (var i = 0; i < s.Length;)
        {
            var valid = Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var width) == System.Buffers.OperationStatus.Done;
            var origin = text.Origins[i];
            if (cleanText && (!valid || rune.Value is 0 or 0xFFFD || IsOther(rune)))
            {
                // Dropped (a lone surrogate cannot reach HF's Rust strings either).
            }
            else if (cleanText && (rune.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(rune)))
            {
                builder.Append(' ', origin);
            }
            else if (handleChineseChars && IsChinese(rune.Value))
            {
                builder.Append(' ', origin);
                Append(s, i, width, origin, builder);
                builder.Append(' ', origin);
            }
            else
            {
                Append(s, i, width, origin, builder);
            }
            i += width;
        }

        var result = builder.Build(text.Origins[^1]);
        // ASCII has no accents to strip, and NFD is the expensive pass.
        if (stripAccents && !Ascii.IsValid(result.Text))
        {
            result = DropNonSpacingMarks(Nfd.Normalize(result));
        }

        return lowercase ? Lower.Normalize(result) : result;
    }

    /// <summary>Rust's <c>char::is_other</c> (Cc, Cf, Cs, Co, Cn) minus the three controls BERT counts as whitespace.</summary>
    private static bool IsOther(Rune rune) => rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    /// <summary>The CJK blocks of HF's <c>is_chinese_char</c> (Hangul and kana are not among them).</summary>
    private static bool IsChinese(int cp) => cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
        or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF)
        or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static AlignedText DropNonSpacingMarks(AlignedText text)
    {
        var builder = new AlignedTextBuilder(text.Length);
        var s = text.Text;
        for (var i = 0; i < s.Length;)
        {
            Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var width);
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                Append(s, i, width, text.Origins[i], builder);
            }
            i += width;
        }
        return builder.Build(text.Origins[^1]);
    }

    private static void Append(string s, int start, int width, int origin, AlignedTextBuilder builder) =>
        Append(s.AsSpan(start, width), origin, builder);

    private static void Append(ReadOnlySpan<char> chars, int origin, AlignedTextBuilder builder)
    {
        foreach (var c in chars)
        {
            builder.Append(c, origin);
        }
    }
}
