using System.Text.RegularExpressions;

namespace Rag.ModelForge.Tokenizer;

/// <summary>
/// Learns byte-level BPE merges the classic way: split the text with the pre-tokenizer, then repeatedly merge the
/// most frequent adjacent pair (ties broken by ordinal order, so training is deterministic) until the vocabulary
/// reaches its target or no pair occurs twice.
/// </summary>
public static partial class BpeTrainer
{
    public static BpeModel Learn(string text, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vocabulary = Enumerable.Range(0, 256).Select(b => ByteLevel.Symbol((byte)b).ToString()).ToList();
        var words = PreTokenizer().Matches(text)
            .GroupBy(m => ByteLevel.Encode(m.Value), StringComparer.Ordinal)
            .Select(g => (Symbols: g.Key.Select(c => c.ToString()).ToList(), Count: g.Count()))
            .ToList();
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        while (vocabulary.Count < vocabularySize)
        {
            var best = MostFrequentPair(words);
            if (best is not { } pair)
            {
                break;
            }
            merges.Add(pair);
            // Two different merges can spell the same token ("a"+"bc", "ab"+"c"); the vocabulary keeps one entry.
            if (known.Add(pair.Left + pair.Right))
            {
                vocabulary.Add(pair.Left + pair.Right);
            }
            foreach (var (symbols, _) in words)
            {
                Merge(symbols, pair);
            }
        }
        return new BpeModel(vocabulary, merges);
    }

    [GeneratedRegex(BpeModel.PreTokenizerPattern)]
    private static partial Regex PreTokenizer();

    private static (string Left, string Right)? MostFrequentPair(List<(List<string> Symbols, int Count)> words)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var (symbols, count) in words)
        {
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                var pair = (symbols[i], symbols[i + 1]);
                counts[pair] = counts.GetValueOrDefault(pair) + count;
            }
        }
        (string, string)? best = null;
        var bestCount = 1;
        foreach (var (pair, count) in counts)
        {
            if (count > bestCount || (count == bestCount && best is { } current && Compare(pair, current) < 0))
            {
                best = pair;
                bestCount = count;
            }
        }
        return best;
    }

    private static int Compare((string, string) a, (string, string) b)
    {
        var left = string.CompareOrdinal(a.Item1, b.Item1);
        return left != 0 ? left : string.CompareOrdinal(a.Item2, b.Item2);
    }

    private static void Merge(List<string> symbols, (string Left, string Right) pair)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
            {
                symbols[i] = pair.Left + pair.Right;
                symbols.RemoveAt(i + 1);
            }
        }
    }
}
