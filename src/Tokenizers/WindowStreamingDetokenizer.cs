using System.Runtime.InteropServices;

namespace Rag.Tokenizers;

/// <summary>
/// Streaming for any decoder chain (WordPiece, BPE suffixes): each step decodes a short window (the last emitted
/// token plus the pending ones) and emits what the new ids add, holding text back while it ends in U+FFFD. The window
/// shares its first token with the previous decode, so rules about the first token cancel out.
/// </summary>
internal sealed class WindowStreamingDetokenizer(HfTokenizer tokenizer, bool skipSpecialTokens) : StreamingDetokenizer
{
    private readonly List<int> _ids = [];
    private int _prefix;
    private int _read;

    public override string Push(int id)
    {
        _ids.Add(id);
        return Emit(final: false);
    }

    public override string Flush() => Emit(final: true);

    private string Emit(bool final)
    {
        var ids = CollectionsMarshal.AsSpan(_ids);
        var before = tokenizer.Decode(ids[_prefix.._read], skipSpecialTokens);
        var after = tokenizer.Decode(ids[_prefix..], skipSpecialTokens);
        if (after.Length <= before.Length || (!final && after[^1] == '\uFFFD'))
        {
            return string.Empty;
        }

        _prefix = _read;
        _read = _ids.Count;
        return after[before.AsSpan().CommonPrefixLength(after)..];
    }
}
