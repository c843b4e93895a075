namespace Rag.Tokenizers.PreTokenizers;

/// <summary>What happens to the matched delimiters when splitting (HF's SplitDelimiterBehavior).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

internal static class Splitter
{
    /// <summary>Splits <paramref name="piece"/> around the given (start, length, isDelimiter) runs, which cover it in order.</summary>
    /// <remarks>Follows HF's SplitDelimiterBehavior exactly, including that of two adjacent delimiters only one merges.</remarks>
    public static void Apply(AlignedText piece, List<(int Start, int Length, bool IsDelimiter)> runs, SplitBehavior behavior, List<AlignedText> output)
    {
        var pieces = new List<(int Start, int End)>(runs.Count);
        var previousDelimiter = false;
        if (behavior == SplitBehavior.MergedWithNext)
        {
            for (var i = runs.Count - 1; i >= 0; i--)
            {
                var (start, length, isDelimiter) = runs[i];
                if (isDelimiter && !previousDelimiter && pieces.Count > 0)
                {
                    pieces[^1] = (start, pieces[^1].End);
                }
                else
                {
                    pieces.Add((start, start + length));
                }

                previousDelimiter = isDelimiter;
            }

            pieces.Reverse();
        }
        else
        {
            foreach (var (start, length, isDelimiter) in runs)
            {
                var merge = behavior switch
                {
                    SplitBehavior.MergedWithPrevious => isDelimiter && !previousDelimiter,
                    SplitBehavior.Contiguous => isDelimiter && previousDelimiter,
                    _ => false,
                };
                if (merge && pieces.Count > 0)
                {
                    pieces[^1] = (pieces[^1].Start, start + length);
                }
                else if (!(isDelimiter && behavior == SplitBehavior.Removed))
                {
                    pieces.Add((start, start + length));
                }

                previousDelimiter = isDelimiter;
            }
        }

        foreach (var (start, end) in pieces)
        {
            if (end > start)
            {
                output.Add(piece.Slice(start, end - start));
            }
        }
    }

    /// <summary>The runs of a piece cut by a regex: matches are delimiters (or the opposite when inverted).</summary>
    public static List<(int Start, int Length, bool IsDelimiter)> Runs(System.Text.RegularExpressions.Regex pattern, string text, bool invert)
    {
        var runs = new List<(int, int, bool)>();
        var last = 0;
        foreach (System.Text.RegularExpressions.Match match in pattern.Matches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > last)
            {
                runs.Add((last, match.Index - last, invert));
            }

            runs.Add((match.Index, match.Length, !invert));
            last = match.Index + match.Length;
        }

        if (last < text.Length)
        {
            runs.Add((last, text.Length - last, invert));
        }

        return runs;
    }
}
