namespace Rag.Tokenizers;

/// <summary>
/// Turns generated ids into text deltas as they arrive. Deltas never split a UTF-8 character and concatenate to
/// exactly <see cref="HfTokenizer.Decode"/> of all ids pushed.
/// </summary>
/// <remarks>Not thread-safe: one instance per generation stream.</remarks>
public abstract class StreamingDetokenizer
{
    private protected StreamingDetokenizer()
    {
    }

    /// <summary>Adds one id; returns the text it completes (empty while a multi-byte character is in flight).</summary>
    public abstract string Push(int id);

    /// <summary>At the end of the stream: whatever is still held back (an incomplete character becomes U+FFFD, as Decode does).</summary>
    public abstract string Flush();
}
