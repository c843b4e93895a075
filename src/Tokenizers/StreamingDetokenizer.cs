using System.Runtime.InteropServices;

namespace Rag.Tokenizers;

/// <summary>
/// Turns generated ids into text deltas as they arrive. Each step decodes only a short window (the last emitted
/// token plus the pending ones) and emits the text the new ids add, holding it back while it ends in an incomplete
/// UTF-8 sequence (U+FFFD), so deltas never split a character and concatenate to exactly
/// <see cref="HfTokenizer.Decode"/> of all ids (the window shares its first token with the previous decode, so
/// leading-space rules cancel out).
/// </summary>
/// <remarks>Not thread-safe: one instance per generation stream.</remarks>
public sealed class StreamingDetokenizer
{
    private readonly HfTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly List<int> _ids = [];
    private int _prefix;
    private int _read;

    internal StreamingDetokenizer(HfTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds one id; returns the text it completes (often empty while a multi-byte char is in flight).</summary>
    public string Push(int id)
    {
        _ids.Add(id);
        return Emit(final: false);
    }

    /// <summary>At the end of the stream: whatever is still held back (an incomplete char becomes U+FFFD, as Decode does).</summary>
    public string Flush() => Emit(final: true);

    private string Emit(bool final)
    {
        var ids = CollectionsMarshal.AsSpan(_ids);
        var before = _tokenizer.Decode(ids[_prefix.._read], _skipSpecialTokens);
        var after = _tokenizer.Decode(ids[_prefix..], _skipSpecialTokens);
        if (after.Length <= before.Length || (!final && after[^1] == '\uFFFD'))
        {
            return string.Empty;
        }

        _prefix = _read;
        _read = _ids.Count;
        return after.StartsWith(before, StringComparison.Ordinal) ? after[before.Length..] : after[CommonPrefix(before, after)..];
    }

    private static int CommonPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b);
}
