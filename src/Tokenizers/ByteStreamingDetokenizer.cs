using System.Text.Unicode;

namespace Rag.Tokenizers;

/// <summary>
/// Streaming for decoders that map each token to bytes on its own (byte-level BPE, SentencePiece with byte fallback):
/// bytes collect in a small buffer and every complete UTF-8 character is emitted, so a step allocates only its delta.
/// </summary>
internal sealed class ByteStreamingDetokenizer(HfTokenizer tokenizer, TokenBytes tokenBytes, bool skipSpecialTokens) : StreamingDetokenizer
{
    private byte[] _pending = new byte[16];
    private char[] _chars = new char[16];
    private int _count;
    private bool _started;

    public override string Push(int id)
    {
        if (skipSpecialTokens && tokenizer.IsSpecial(id))
        {
            return string.Empty;
        }

        var bytes = tokenBytes.Of(id);
        if (_count + bytes.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _count + bytes.Length));
        }

        bytes.CopyTo(_pending.AsSpan(_count));
        _count += bytes.Length;
        return Drain(final: false);
    }

    public override string Flush() => Drain(final: true);

    private string Drain(bool final)
    {
        if (_count == 0)
        {
            return string.Empty;
        }

        if (_chars.Length < _count)
        {
            _chars = new char[Math.Max(_chars.Length * 2, _count)];
        }

        // Not final: a trailing incomplete sequence stays pending; invalid bytes become U+FFFD as in Decode.
        Utf8.ToUtf16(_pending.AsSpan(0, _count), _chars, out var read, out var written, replaceInvalidSequences: true, isFinalBlock: final);
        _pending.AsSpan(read, _count - read).CopyTo(_pending);
        _count -= read;
        var text = _chars.AsSpan(0, written);
        if (!_started && written > 0)
        {
            _started = true;
            if (tokenBytes.Decoding.StripLeadingSpace && text[0] == ' ')
            {
                text = text[1..];
            }
        }

        return text.IsEmpty ? string.Empty : new string(text);
    }
}
