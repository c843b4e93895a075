namespace Rag.Llm.Generation;

/// <summary>Cuts the output at the first stop string. Text that could be the start of a stop string is held back
/// until the next delta settles it, so a stop string is never emitted even when it arrives split across tokens.</summary>
public sealed class StopStrings
{
    private readonly string[] _stops;
    private readonly System.Text.StringBuilder _pending = new();

    public StopStrings(IReadOnlyList<string>? stops)
    {
        _stops = stops?.Where(s => s.Length > 0).ToArray() ?? [];
    }

    /// <summary>True once a stop string has been seen; nothing more is emitted.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds generated text and returns what can be emitted now.</summary>
    public string Push(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (Stopped)
        {
            return string.Empty;
        }
        if (_stops.Length == 0)
        {
            return delta;
        }
        _pending.Append(delta);
        var text = _pending.ToString();
        var cut = FirstStop(text);
        if (cut >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return text[..cut];
        }
        var emit = text.Length - HeldBack(text);
        _pending.Remove(0, emit);
        return text[..emit];
    }

    /// <summary>Releases held-back text when generation ends for another reason.</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return Stopped ? string.Empty : rest;
    }

    private int FirstStop(string text)
    {
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }
        return first;
    }

    /// <summary>Length of the longest suffix of <paramref name="text"/> that begins some stop string.</summary>
    private int HeldBack(string text)
    {
        var longest = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
