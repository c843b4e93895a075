using System.Text;
using System.Text.RegularExpressions;

namespace Rag.Tokenizers.PreTokenizers;

/// <summary>GPT-2's pre-tokenizer: optional prefix space, optional GPT-2 regex split, then each byte to its printable char.</summary>
internal sealed partial class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    public void Split(AlignedText piece, List<AlignedText> output)
    {
        if (addPrefixSpace && piece.Length > 0 && piece.Text[0] != ' ')
        {
            var builder = new AlignedTextBuilder(piece.Length + 1);
            builder.Append(' ', piece.Origins[0]);
            for (var i = 0; i < piece.Length; i++)
            {
                builder.Append(piece.Text[i], piece.Origins[i]);
            }

            piece = builder.Build(piece.Origins[^1]);
        }

        if (!useRegex)
        {
            output.Add(MapBytes(piece));
            return;
        }

        foreach (Match match in Gpt2Pattern().Matches(piece.Text))
        {
            output.Add(MapBytes(piece.Slice(match.Index, match.Length)));
        }
    }

    /// <summary>Rewrites a piece as its UTF-8 bytes in the byte-level alphabet; every byte keeps its char's origin.</summary>
    public static AlignedText MapBytes(AlignedText piece)
    {
        var builder = new AlignedTextBuilder(piece.Length * 2);
        Span<byte> bytes = stackalloc byte[4];
        var text = piece.Text;
        for (var i = 0; i < text.Length;)
        {
            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var count = Encoding.UTF8.GetBytes(text.AsSpan(i, length), bytes);
            for (var b = 0; b < count; b++)
            {
                builder.Append(ByteLevelAlphabet.ByteToChar[bytes[b]], piece.Origins[i]);
            }

            i += length;
        }

        return builder.Build(piece.Origins[^1]);
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2Pattern();
}
