namespace Rag.Tokenizers;

/// <summary>
/// Text being transformed by the pipeline, with each char's position in the caller's original string, so that
/// tokens keep character offsets through normalization and byte-level mapping.
/// </summary>
/// <remarks><c>Origins</c> has one entry per char plus one for the end; a char that has no source of its own
/// (a prepended ▁) points at the char it precedes.</remarks>
internal sealed class AlignedText
{
    public AlignedText(string text, int[] origins)
    {
        Text = text;
        Origins = origins;
    }

    public string Text { get; }

    public int[] Origins { get; }

    public int Length => Text.Length;

    public static AlignedText FromOriginal(string text, int start, int length)
    {
        var origins = new int[length + 1];
        for (var i = 0; i <= length; i++)
        {
            origins[i] = start + i;
        }

        return new AlignedText(text.Substring(start, length), origins);
    }

    public AlignedText Slice(int start, int length) => new(Text.Substring(start, length), Origins[start..(start + length + 1)]);

    public (int Start, int End) OriginalRange(int start, int end) => (Origins[start], Origins[end]);

    public override string ToString() => Text;
}
