using System.Collections.Concurrent;
using System.Text;

namespace Rag.Tokenizers.Models;

/// <summary>
/// Byte-pair encoding as Hugging Face tokenizers runs it: start from chars (or bytes when byte fallback applies),
/// then repeatedly apply the lowest-ranked merge, leftmost first.
/// </summary>
internal sealed class BpeModel : ITokenModel
{
    private const int CacheCapacity = 50_000;

    // (left id, right id) → (rank, merged id); keyed by ids as HF does, so byte-fallback and unk symbols merge too.
    private readonly Dictionary<long, (int Rank, int Id)> _merges;
    private readonly ConcurrentDictionary<string, (int Id, int Start, int End)[]> _cache = new(StringComparer.Ordinal);
    private readonly int? _unkId;

    public BpeModel(Vocabulary vocabulary, IReadOnlyList<(string Left, string Right)> merges, BpeSettings settings)
    {
        Vocabulary = vocabulary;
        Settings = settings;
        _unkId = vocabulary.Id(settings.UnkToken);
        _merges = new Dictionary<long, (int, int)>(merges.Count);
        var prefixLength = settings.ContinuingSubwordPrefix?.Length ?? 0;
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            var merged = left + (prefixLength > 0 && right.StartsWith(settings.ContinuingSubwordPrefix!, StringComparison.Ordinal) ? right[prefixLength..] : right);
            if (vocabulary.Id(left) is not { } a || vocabulary.Id(right) is not { } b || vocabulary.Id(merged) is not { } id)
            {
                throw new InvalidDataException($"BPE merge '{left} {right}' uses a token that is not in the vocabulary.");
            }

            _merges.TryAdd(Key(a, b), (rank, id));
        }
    }

    public Vocabulary Vocabulary { get; }

    public BpeSettings Settings { get; }

    public void Tokenize(AlignedText piece, List<TokenSpan> output)
    {
        var text = piece.Text;
        if (text.Length == 0)
        {
            return;
        }

        if (!_cache.TryGetValue(text, out var tokens))
        {
            tokens = Merge(text);
            if (_cache.Count < CacheCapacity)
            {
                _cache.TryAdd(text, tokens);
            }
        }

        foreach (var (id, start, end) in tokens)
        {
            output.Add(new TokenSpan(id, piece.Origins[start], piece.Origins[end]));
        }
    }

    private (int Id, int Start, int End)[] Merge(string word)
    {
        if (Settings.IgnoreMerges && Vocabulary.TryGetId(word, out var whole))
        {
            return [(whole, 0, word.Length)];
        }

        var symbols = InitialSymbols(word);
        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            var bestId = 0;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_merges.TryGetValue(Key(symbols[i].Id, symbols[i + 1].Id), out var merge) && merge.Rank < bestRank)
                {
                    (best, bestRank, bestId) = (i, merge.Rank, merge.Id);
                }
            }

            if (best < 0)
            {
                break;
            }

            symbols[best] = (bestId, symbols[best].Start, symbols[best + 1].End);
            symbols.RemoveAt(best + 1);
        }

        return [.. symbols];
    }

    private List<(int Id, int Start, int End)> InitialSymbols(string word)
    {
        var symbols = new List<(int Id, int Start, int End)>(word.Length);
        var fallback = new List<TokenSpan>(4);
        var unkOpen = false;
        var position = 0;
        foreach (var rune in word.EnumerateRunes())
        {
            var start = position;
            position += rune.Utf16SequenceLength;
            var isLast = position == word.Length;
            var candidate = Candidate(word.AsSpan(start, rune.Utf16SequenceLength), start > 0, isLast);
            if (Vocabulary.TryGetId(candidate, out var id))
            {
                symbols.Add((id, start, position));
                unkOpen = false;
                continue;
            }

            fallback.Clear();
            if (Settings.ByteFallback && ByteFallback.TryAppend(Vocabulary, word.AsSpan(start, position - start), start, position, fallback))
            {
                foreach (var b in fallback)
                {
                    symbols.Add((b.Id, b.Start, b.End));
                }

                unkOpen = false;
                continue;
            }

            if (_unkId is not { } unk)
            {
                // HF tokenizers drops a char it cannot represent when the model has no unk_token.
                unkOpen = false;
                continue;
            }

            if (Settings.FuseUnk && unkOpen)
            {
                symbols[^1] = (unk, symbols[^1].Start, position);
            }
            else
            {
                symbols.Add((unk, start, position));
            }

            unkOpen = true;
        }

        return symbols;
    }

    private string Candidate(ReadOnlySpan<char> chars, bool continuing, bool isLast)
    {
        var prefix = continuing ? Settings.ContinuingSubwordPrefix : null;
        var suffix = isLast ? Settings.EndOfWordSuffix : null;
        if (prefix is null && suffix is null)
        {
            return chars.ToString();
        }

        return new StringBuilder().Append(prefix).Append(chars).Append(suffix).ToString();
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}

internal sealed record BpeSettings(
    string? UnkToken = null,
    string? ContinuingSubwordPrefix = null,
    string? EndOfWordSuffix = null,
    bool FuseUnk = false,
    bool ByteFallback = false,
    bool IgnoreMerges = false);
