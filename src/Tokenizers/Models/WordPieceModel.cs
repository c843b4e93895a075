namespace Rag.Tokenizers.Models;

/// <summary>BERT's WordPiece: greedy longest match from the left, continuation pieces prefixed with "##".</summary>
internal sealed class WordPieceModel(Vocabulary vocabulary, string unkToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    : ITokenModel
{
    private readonly int _unkId = vocabulary.Id(unkToken)
        ?? throw new InvalidDataException($"WordPiece unk_token '{unkToken}' is not in the vocabulary.");

    public Vocabulary Vocabulary { get; } = vocabulary;

    public string ContinuingSubwordPrefix { get; } = continuingSubwordPrefix;

    public void Tokenize(AlignedText piece, List<TokenSpan> output)
    {
        var word = piece.Text;
        if (word.Length == 0)
        {
            return;
        }

        var first = output.Count;
        if (word.EnumerateRunes().Count() > maxInputCharsPerWord || !TryGreedy(piece, output))
        {
            output.RemoveRange(first, output.Count - first);
            output.Add(new TokenSpan(_unkId, piece.Origins[0], piece.Origins[^1]));
        }
    }

    private bool TryGreedy(AlignedText piece, List<TokenSpan> output)
    {
        var word = piece.Text;
        var candidate = new char[ContinuingSubwordPrefix.Length + word.Length].AsSpan();
        ContinuingSubwordPrefix.CopyTo(candidate);
        var start = 0;
        while (start < word.Length)
        {
            var end = word.Length;
            var found = -1;
            while (end > start)
            {
                var part = word.AsSpan(start, end - start);
                var key = part;
                if (start > 0)
                {
                    part.CopyTo(candidate[ContinuingSubwordPrefix.Length..]);
                    key = candidate[..(ContinuingSubwordPrefix.Length + part.Length)];
                }

                if (Vocabulary.TryGetId(key, out found))
                {
                    break;
                }

                found = -1;
                end -= char.IsLowSurrogate(word[end - 1]) && end - 2 >= start ? 2 : 1;
            }

            if (found < 0)
            {
                return false;
            }

            output.Add(new TokenSpan(found, piece.Origins[start], piece.Origins[end]));
            start = end;
        }

        return true;
    }
}
