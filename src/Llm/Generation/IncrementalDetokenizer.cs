namespace Rag.Llm.Generation;

/// <summary>Turns tokens into text deltas one token at a time. It decodes a short window of recent tokens and
/// emits only what that window adds over its settled prefix, so context-dependent decoders (leading spaces) stay
/// right, and it holds text back while the window ends in half a UTF-8 character (decoded as U+FFFD).</summary>
public sealed class IncrementalDetokenizer(ITextTokenizer tokenizer)
{
    private readonly List<int> _ids = [];
    private int _prefixStart;
    private int _readStart;

    /// <summary>Adds a token; returns the new text, or the empty string while it is incomplete.</summary>
    public string Push(int token)
    {
        _ids.Add(token);
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids);
        var prefix = tokenizer.Decode(all[_prefixStart.._readStart]);
        var text = tokenizer.Decode(all[_prefixStart..]);
        if (text.Length <= prefix.Length || text.EndsWith('\uFFFD') || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return string.Empty;
        }
        _prefixStart = _readStart;
        _readStart = _ids.Count;
        return text[prefix.Length..];
    }

    /// <summary>Whatever is still held back at the end of generation (an incomplete character decodes as U+FFFD).</summary>
    public string Flush()
    {
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids);
        var prefix = tokenizer.Decode(all[_prefixStart.._readStart]);
        var text = tokenizer.Decode(all[_prefixStart..]);
        _prefixStart = _readStart = _ids.Count;
        return text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : string.Empty;
    }
}
