namespace Rag.Api.Contracts.Text;

/// <summary>
/// What every string that enters over HTTP must be: valid Unicode (no unpaired surrogate) without NUL, which
/// PostgreSQL cannot store in text and which no name, tag, filter or question needs.
/// </summary>
internal static class TextRules
{
    /// <summary>What is wrong with the text, or null when it is acceptable.</summary>
    public static string? Flaw(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return "a NUL character (U+0000)";
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"an unpaired surrogate (U+{(int)c:X4})";
            }
        }
        return null;
    }

    /// <summary>The problem detail for a field, e.g. "'$.name' contains a NUL character (U+0000); …".</summary>
    /// <remarks>A field name can itself be the flawed text (a tag key): it is shown with U+FFFD in place of the flaw.</remarks>
    public static string Describe(string field, string flaw) =>
        $"{Printable(field)} contains {flaw}; text must be valid Unicode without NUL characters.";

    private static string Printable(string text)
    {
        if (Flaw(text) is null)
        {
            return text;
        }
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }
}
