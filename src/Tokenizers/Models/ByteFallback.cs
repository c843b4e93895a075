using System.Text;

namespace Rag.Tokenizers.Models;

/// <summary>SentencePiece's byte fallback: a char missing from the vocabulary becomes its UTF-8 bytes as &lt;0xNN&gt; tokens.</summary>
internal static class ByteFallback
{
    /// <summary>Appends the byte tokens of <paramref name="text"/>; false (and nothing appended) if any byte token is missing.</summary>
    public static bool TryAppend(Vocabulary vocabulary, ReadOnlySpan<char> text, int start, int end, List<TokenSpan> output)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var count = Encoding.UTF8.GetBytes(text, bytes);
        Span<int> ids = stackalloc int[count];
        Span<char> name = stackalloc char[6];
        for (var i = 0; i < count; i++)
        {
            Format(bytes[i], name);
            if (!vocabulary.TryGetId(name, out ids[i]))
            {
                return false;
            }
        }

        foreach (var id in ids)
        {
            output.Add(new TokenSpan(id, start, end));
        }

        return true;
    }

    /// <summary>The byte a &lt;0xNN&gt; token stands for, or -1 if the token is not one.</summary>
    public static int ByteOf(string token)
    {
        if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
        {
            return b;
        }

        return -1;
    }

    private static void Format(byte b, Span<char> name)
    {
        const string hex = "0123456789ABCDEF";
        "<0x".CopyTo(name);
        name[3] = hex[b >> 4];
        name[4] = hex[b & 0xF];
        name[5] = '>';
    }
}
