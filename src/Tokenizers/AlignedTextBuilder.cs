using System.Text;

namespace Rag.Tokenizers;

/// <summary>Builds an <see cref="AlignedText"/> char by char, each appended char remembering its source position.</summary>
internal sealed class AlignedTextBuilder
{
    private readonly StringBuilder _text;
    private readonly List<int> _origins;

    public AlignedTextBuilder(int capacity)
    {
        _text = new StringBuilder(capacity);
        _origins = new List<int>(capacity + 1);
    }

    public void Append(char c, int origin)
    {
        _text.Append(c);
        _origins.Add(origin);
    }

    public void Append(string s, int origin)
    {
        foreach (var c in s)
        {
            Append(c, origin);
        }
    }

    public AlignedText Build(int endOrigin)
    {
        _origins.Add(endOrigin);
        return new AlignedText(_text.ToString(), [.. _origins]);
    }
}
