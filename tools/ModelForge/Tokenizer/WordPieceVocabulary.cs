using System.Globalization;

namespace Rag.ModelForge.Tokenizer;

/// <summary>
/// A BERT uncased WordPiece vocabulary built from a text: the special tokens, every printable ASCII character,
/// each letter and digit as a <c>##</c> continuation, common suffix pieces, the text's words by frequency, then the
/// 2–4 letter beginnings and inner pieces of those words. Any lower-cased ASCII word can therefore be tokenized
/// without <c>[UNK]</c>, and a word outside the text splits into letter groups rather than single letters, so
/// unrelated unknown words share few pieces (which keeps the lexical encoder's similarities meaningful).
/// </summary>
public sealed class WordPieceVocabulary
{
    public const string Pad = "[PAD]";
    public const string Unknown = "[UNK]";
    public const string Cls = "[CLS]";
    public const string Sep = "[SEP]";
    public const string Mask = "[MASK]";

    private const int MinPiece = 2;
    private const int MaxPiece = 4;

    private static readonly string[] SuffixPieces = ["##s", "##es", "##ed", "##ing", "##er", "##ly", "##ion", "##al"];

    // Words so frequent in any English text that sharing them says nothing about shared content.
    private static readonly string[] FunctionWords =
    [
        "a", "an", "the", "and", "or", "but", "if", "then", "so", "not", "no", "of", "to", "in", "on", "at", "for", "with",
        "by", "from", "about", "into", "as", "than", "is", "are", "was", "were", "be", "been", "do", "does", "did", "has",
        "have", "had", "can", "will", "would", "should", "it", "its", "this", "that", "these", "those", "there", "their",
        "i", "you", "we", "they", "he", "she", "my", "your", "our", "his", "her", "what", "which", "who", "how", "when",
        "where", "why", "some", "any", "all", "each", "very", "also", "just",
    ];

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
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var word in words)
        {
            Add(word.Key);
        }
        foreach (var word in words)
        {
            for (var length = MinPiece; length <= MaxPiece; length++)
            {
                for (var start = 0; start + length <= word.Key.Length && length < word.Key.Length; start++)
                {
                    Add(start == 0 ? word.Key[..length] : string.Concat("##", word.Key.AsSpan(start, length)));
                }
            }
        }
        for (var unused = 0; size is { } target && tokens.Count < target; unused++)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"[unused{unused}]"));
        }
        return new WordPieceVocabulary(tokens);
    }

    /// <summary>Ids of special tokens, punctuation and common function words: the tokens that carry no content.</summary>
    public IEnumerable<int> FunctionTokenIds() =>
        Tokens.Select((token, id) => (token, id))
            .Where(p => SpecialTokens.Contains(p.token) || FunctionWords.Contains(p.token) || (p.token.Length == 1 && char.IsPunctuation(p.token[0])) || (p.token.Length == 1 && char.IsSymbol(p.token[0])))
            .Select(p => p.id);

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
