namespace Rag.Tokenizers.Decoders;

/// <summary>
/// A decoder chain that maps each token to bytes on its own (GPT-2 byte-level; SentencePiece's ▁ → space with byte
/// fallback), so text can be streamed token by token from a byte buffer instead of re-decoding a window.
/// </summary>
/// <param name="ByteLevel">Token chars are GPT-2 byte-alphabet chars.</param>
/// <param name="Replacement">The char that stands for a space (▁), if any.</param>
/// <param name="ByteFallback">&lt;0xNN&gt; tokens are raw bytes.</param>
/// <param name="StripLeadingSpace">The first space of the whole text is dropped.</param>
internal sealed record ByteWiseDecoding(bool ByteLevel, char? Replacement, bool ByteFallback, bool StripLeadingSpace)
{
    public static readonly ByteWiseDecoding Identity = new(false, null, false, false);
}
