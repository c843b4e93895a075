namespace Rag.Tokenizers;

/// <summary>
/// Keeps text nobody vouches for — documents, questions, chat messages — from speaking in control tokens once a chat
/// template has put it inside a prompt. <see cref="Fence"/> writes <see cref="Marker"/> (a Unicode noncharacter, which
/// no real text uses) before every place where a special added token starts; <see cref="HfTokenizer"/> matches no added
/// token right after a marker and drops the markers, so the fenced text encodes exactly as its literal characters do,
/// while the template's own markers, written outside any fenced text, still become control tokens.
/// </summary>
/// <remarks>Thread-safe. Non-special added tokens (e.g. Qwen's &lt;think&gt;) are left alone, as HF's
/// <c>split_special_tokens</c> leaves them.</remarks>
public sealed class SpecialTokenFence
{
    /// <summary>"The next character starts no added token." Removed when the prompt is encoded.</summary>
    public const char Marker = '\uFDD0';

    private readonly AddedTokenMatcher _specials;

    public SpecialTokenFence(IEnumerable<AddedToken> addedTokens)
    {
        ArgumentNullException.ThrowIfNull(addedTokens);
        _specials = new AddedTokenMatcher(addedTokens.Where(t => t.Special), fenced: false);
    }

    /// <summary>A fence for a tokenizer without special tokens: it only removes stray markers.</summary>
    public static SpecialTokenFence None { get; } = new([]);

    /// <summary>The text with its own markers removed (so it cannot close a fence early) and a marker before each special token.</summary>
    public string Fence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstToFence(text);
        if (first < 0)
        {
            return text;
        }

        var fenced = new System.Text.StringBuilder(text.Length + 16);
        fenced.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            if (text[i] == Marker)
            {
                continue;
            }

            if (_specials.StartsToken(text, i))
            {
                fenced.Append(Marker);
            }

            fenced.Append(text[i]);
        }

        return fenced.ToString();
    }

    private int FirstToFence(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == Marker || _specials.StartsToken(text, i))
            {
                return i;
            }
        }

        return -1;
    }
}
