using System.Text.RegularExpressions;

namespace Rag.Tokenizers.Normalizers;

/// <summary>Replaces every match of a literal or regex pattern (Llama 2's " " → "▁").</summary>
internal sealed class ReplaceNormalizer(Regex pattern, string content) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        var builder = new AlignedTextBuilder(text.Length);
        var last = 0;
        foreach (Match match in pattern.Matches(text.Text))
        {
            for (var i = last; i < match.Index; i++)
            {
                builder.Append(text.Text[i], text.Origins[i]);
            }

            builder.Append(content, text.Origins[match.Index]);
            last = match.Index + match.Length;
        }

        for (var i = last; i < text.Length; i++)
        {
            builder.Append(text.Text[i], text.Origins[i]);
        }

        return builder.Build(text.Origins[^1]);
    }
}

internal sealed class PrependNormalizer(string prepend) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var builder = new AlignedTextBuilder(text.Length + prepend.Length);
        builder.Append(prepend, text.Origins[0]);
        for (var i = 0; i < text.Length; i++)
        {
            builder.Append(text.Text[i], text.Origins[i]);
        }

        return builder.Build(text.Origins[^1]);
    }
}

internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        var start = 0;
        var end = text.Length;
        while (left && start < end && char.IsWhiteSpace(text.Text[start]))
        {
            start++;
        }

        while (right && end > start && char.IsWhiteSpace(text.Text[end - 1]))
        {
            end--;
        }

        return text.Slice(start, end - start);
    }
}

internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        foreach (var normalizer in normalizers)
        {
            text = normalizer.Normalize(text);
        }

        return text;
    }
}
