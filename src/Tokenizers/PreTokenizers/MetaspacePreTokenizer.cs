namespace Rag.Tokenizers.PreTokenizers;

/// <summary>When a ▁ is prepended to a piece (HF's PrependScheme).</summary>
internal enum PrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>SentencePiece-style pre-tokenizer: spaces become ▁, a ▁ is prepended, and pieces start at each ▁.</summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split) : IPreTokenizer
{
    public void Split(AlignedText piece, List<AlignedText> output)
    {
        var builder = new AlignedTextBuilder(piece.Length + 1);
        // "First" means the start of the whole input, not of a section after an added token.
        var prepend = scheme == PrependScheme.Always || (scheme == PrependScheme.First && piece.Origins[0] == 0);
        if (prepend && piece.Length > 0 && piece.Text[0] != ' ' && piece.Text[0] != replacement)
        {
            builder.Append(replacement, piece.Origins[0]);
        }

        for (var i = 0; i < piece.Length; i++)
        {
            builder.Append(piece.Text[i] == ' ' ? replacement : piece.Text[i], piece.Origins[i]);
        }

        var replaced = builder.Build(piece.Origins[^1]);
        if (!split)
        {
            output.Add(replaced);
            return;
        }

        var runs = new List<(int Start, int Length, bool IsDelimiter)>();
        for (var i = 0; i < replaced.Length; i++)
        {
            var isDelimiter = replaced.Text[i] == replacement;
            if (!isDelimiter && runs.Count > 0 && !runs[^1].IsDelimiter)
            {
                runs[^1] = (runs[^1].Start, runs[^1].Length + 1, false);
            }
            else
            {
                runs.Add((i, 1, isDelimiter));
            }
        }

        Splitter.Apply(replaced, runs, SplitBehavior.MergedWithNext, output);
    }
}
