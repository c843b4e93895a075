using System.Buffers;
using System.Globalization;
using System.Text;

namespace Rag.Tokenizers.Normalizers;

/// <summary>Normalizers that map each char (or each base char with its combining marks) on its own.</summary>
internal abstract class CharMapNormalizer : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        var builder = new AlignedTextBuilder(text.Length);
        var s = text.Text;
        var i = 0;
        while (i < s.Length)
        {
            var length = ClusterLength(s, i);
            Map(s.AsSpan(i, length), text.Origins[i], builder);
            i += length;
        }

        return builder.Build(text.Origins[^1]);
    }

    /// <summary>Appends the replacement of one cluster (a char, a surrogate pair, or a base with its marks).</summary>
    protected abstract void Map(ReadOnlySpan<char> cluster, int origin, AlignedTextBuilder output);

    protected virtual bool GroupsMarks => false;

    private int ClusterLength(string s, int i)
    {
        var length = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        while (GroupsMarks && i + length < s.Length && IsMark(s[i + length]))
        {
            length++;
        }

        return length;
    }

    protected static bool IsMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}

/// <summary>NFC, NFD, NFKC or NFKD, applied per base char with its combining marks so offsets survive.</summary>
internal sealed class UnicodeNormalizer(NormalizationForm form) : CharMapNormalizer
{
    protected override bool GroupsMarks => true;

    protected override void Map(ReadOnlySpan<char> cluster, int origin, AlignedTextBuilder output)
    {
        if (cluster.Length == 1 && cluster[0] < 0x80)
        {
            output.Append(cluster[0], origin);
            return;
        }

        output.Append(UnicodeData.Normalize(cluster.ToString(), form), origin);
    }
}

/// <summary>
/// Rust's <c>char::to_lowercase</c>, which HF's Lowercase and BertNormalizer apply per code point: the simple mapping,
/// except 'İ', whose full lowercase keeps its dot (i + U+0307).
/// </summary>
internal sealed class LowercaseNormalizer : CharMapNormalizer
{
    protected override void Map(ReadOnlySpan<char> cluster, int origin, AlignedTextBuilder output)
    {
        if (Rune.DecodeFromUtf16(cluster, out var rune, out _) != OperationStatus.Done)
        {
            // A lone surrogate has no case.
            output.Append(cluster[0], origin);
            return;
        }

        if (rune.Value == 0x130)
        {
            output.Append("i\u0307", origin);
            return;
        }

        Span<char> lower = stackalloc char[2];
        foreach (var c in lower[..Rune.ToLowerInvariant(rune).EncodeToUtf16(lower)])
        {
            output.Append(c, origin);
        }
    }
}

/// <summary>Drops combining marks (HF's StripAccents; meaningful after NFD).</summary>
internal sealed class StripAccentsNormalizer : CharMapNormalizer
{
    protected override void Map(ReadOnlySpan<char> cluster, int origin, AlignedTextBuilder output)
    {
        foreach (var c in cluster)
        {
            if (!IsMark(c))
            {
                output.Append(c, origin);
            }
        }
    }
}
