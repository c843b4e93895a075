namespace Rag.Tokenizers.Models;

/// <summary>
/// SentencePiece's unigram model: the segmentation with the highest total log-probability (Viterbi), where a char
/// no piece covers costs the unk score (lowest score minus 10, as SentencePiece and HF tokenizers do).
/// </summary>
internal sealed class UnigramModel : ITokenModel
{
    private const double UnkPenalty = 10.0;

    private readonly double[] _scores;
    private readonly int _unkId;
    private readonly double _unkScore;
    private readonly bool _byteFallback;
    private readonly int _maxPieceLength;

    public UnigramModel(IReadOnlyList<(string Piece, double Score)> pieces, int unkId, bool byteFallback)
    {
        Vocabulary = new Vocabulary(pieces.Select((p, i) => new KeyValuePair<string, int>(p.Piece, i)));
        _scores = [.. pieces.Select(p => p.Score)];
        _unkId = unkId;
        _unkScore = pieces.Count == 0 ? -UnkPenalty : pieces.Min(p => p.Score) - UnkPenalty;
        _byteFallback = byteFallback;
        _maxPieceLength = Vocabulary.LongestToken();
    }

    public Vocabulary Vocabulary { get; }

    public void Tokenize(AlignedText piece, List<TokenSpan> output)
    {
        var text = piece.Text;
        var n = text.Length;
        if (n == 0)
        {
            return;
        }

        // best[i]: the best score of text[..i], reached by a token (id, start) ending at i.
        var best = new double[n + 1];
        var from = new int[n + 1];
        var ids = new int[n + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (var start = 0; start < n; start++)
        {
            if (double.IsNegativeInfinity(best[start]) || char.IsLowSurrogate(text[start]))
            {
                continue;
            }

            var charLength = char.IsHighSurrogate(text[start]) && start + 1 < n ? 2 : 1;
            var coveredSingleChar = false;
            for (var length = 1; length <= _maxPieceLength && start + length <= n; length++)
            {
                if (Vocabulary.TryGetId(text.AsSpan(start, length), out var id))
                {
                    Relax(start, start + length, id, _scores[id]);
                    coveredSingleChar |= length == charLength;
                }
            }

            if (!coveredSingleChar)
            {
                Relax(start, start + charLength, _unkId, _unkScore);
            }
        }

        var path = new List<(int Id, int Start, int End)>();
        for (var end = n; end > 0; end = from[end])
        {
            path.Add((ids[end], from[end], end));
        }

        path.Reverse();
        Emit(piece, path, output);

        void Relax(int start, int end, int id, double score)
        {
            var total = best[start] + score;
            if (total > best[end])
            {
                (best[end], from[end], ids[end]) = (total, start, id);
            }
        }
    }

    private void Emit(AlignedText piece, List<(int Id, int Start, int End)> path, List<TokenSpan> output)
    {
        var unkOpen = false;
        foreach (var (id, start, end) in path)
        {
            if (id == _unkId && _byteFallback
                && ByteFallback.TryAppend(Vocabulary, piece.Text.AsSpan(start, end - start), piece.Origins[start], piece.Origins[end], output))
            {
                unkOpen = false;
                continue;
            }

            if (id == _unkId && unkOpen)
            {
                output[^1] = output[^1] with { End = piece.Origins[end] };
                continue;
            }

            output.Add(new TokenSpan(id, piece.Origins[start], piece.Origins[end]));
            unkOpen = id == _unkId;
        }
    }
}
