namespace Rag.Tokenizers;

/// <summary>
/// Cuts text into plain sections and added tokens, leftmost-longest like HF's added vocabulary, so that
/// "&lt;|im_start|&gt;" written by a chat template becomes one id.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;
    private readonly bool _fenced;

    /// <param name="fenced">Whether a <see cref="SpecialTokenFence.Marker"/> stops a token from starting right after it.</param>
    public AddedTokenMatcher(IEnumerable<AddedToken> tokens, bool fenced)
    {
        _fenced = fenced;
        _byFirstChar = tokens.Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>Sections in order: a plain run of text (Token null) or a matched added token, with original ranges.</summary>
    public List<(int Start, int End, AddedToken? Token)> Split(string text)
    {
        var sections = new List<(int Start, int End, AddedToken? Token)>();
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!TryMatch(text, i, out var token))
            {
                i++;
                continue;
            }

            var start = i;
            var end = i + token.Content.Length;
            if (token.LeftStrip)
            {
                while (start > plainStart && char.IsWhiteSpace(text[start - 1]))
                {
                    start--;
                }
            }

            if (token.RightStrip)
            {
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
            }

            if (start > plainStart)
            {
                sections.Add((plainStart, start, null));
            }

            sections.Add((start, end, token));
            plainStart = i = end;
        }

        if (plainStart < text.Length)
        {
            sections.Add((plainStart, text.Length, null));
        }

        return sections;
    }

    /// <summary>Whether one of the tokens is written at <paramref name="i"/> (word boundaries aside: fencing too much is harmless).</summary>
    public bool StartsToken(string text, int i)
    {
        if (!_byFirstChar.TryGetValue(text[i], out var candidates))
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (string.CompareOrdinal(text, i, candidate.Content, 0, candidate.Content.Length) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryMatch(string text, int i, out AddedToken token)
    {
        token = null!;
        if ((_fenced && i > 0 && text[i - 1] == SpecialTokenFence.Marker) || !_byFirstChar.TryGetValue(text[i], out var candidates))
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (string.CompareOrdinal(text, i, candidate.Content, 0, candidate.Content.Length) != 0)
            {
                continue;
            }

            var end = i + candidate.Content.Length;
            if (candidate.SingleWord && ((i > 0 && IsWordChar(text[i - 1])) || (end < text.Length && IsWordChar(text[end]))))
            {
                continue;
            }

            token = candidate;
            return true;
        }

        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
