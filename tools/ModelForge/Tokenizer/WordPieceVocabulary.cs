using System.Globalization;

namespace Rag.ModelForge.Tokenizer;

/// <summary>
/// A BERT uncased WordPiece vocabulary built from a text: the special tokens, every printable ASCII character,
/// each letter and digit as a <c>##</c> continuation, common suffix pieces, then the text's words by frequency.
/// Any lower-cased ASCII word can therefore be tokenized without <c>[UNK]</c>.
/// </summary>
public sealed class WordPieceVocabulary
{
    public const string Pad = "[PAD]";
    public const string Unknown = "[UNK]";
    public const string Cls = "[CLS]";
    public const string Sep = "[SEP]";
    public const string Mask = "[MASK]";

    private static readonly string[] SuffixPieces = ["##s", "##es", "##ed", "##ing", "##er", "##ly", "##ion", "##al"];

    public WordPieceVocabulary(IReadOnlyList<string> tokens)
    {
        Tokens = tokens;
        Ids = tokens.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Tokens { get; }

    public IReadOnlyDictionary<string, int> Ids { get; }

    public static IReadOnlyList<string> SpecialTokens { get; } = [Pad, Unknown, Cls, Sep, Mask];

    /// <summary>Builds the vocabulary; when <paramref name="size"/> is larger, it is filled with <c>[unusedN]</c> like BERT's.</summary>
    public static WordPieceVocabulary Learn(string text, int? size = null)
    {
        var tokens = new List<string>(SpecialTokens);
        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        void Add(string token)
        {
            if (seen.Add(token))
            {
                tokens.Add(token);
            }
        }
        for (var c = '!'; c <= '~'; c++)
        {
            if (!char.IsUpper(c))
            {
                Add(c.ToString());
            }
        }
        for (var c = '0'; c <= 'z'; c++)
        {
            if (char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c))
            {
                Add("##" + c);
            }
        }
        foreach (var piece in SuffixPieces)
        {
            Add(piece);
        }
        var words = Words(text).GroupBy(w => w, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var word in words)
        {
            Add(word.Key);
        }
        for (var unused = 0; size is { } target && tokens.Count < target; unused++)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"[unused{unused}]"));
        }
        return new WordPieceVocabulary(tokens);
    }

    /// <summary>Lower-cased runs of letters or digits: what BERT's basic tokenizer leaves as words.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}
