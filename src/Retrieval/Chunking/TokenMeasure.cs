using Microsoft.ML.Tokenizers;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// Token counts and token-boundary cuts over spans of the source text, through any
/// <see cref="Tokenizer"/>, counted as it counts them (with its special tokens when it adds any).
/// </summary>
internal sealed class TokenMeasure(Tokenizer tokenizer)
{
    public int Count(ReadOnlySpan<char> text) => tokenizer.CountTokens(text);

    /// <summary>The longest prefix length (in chars, at a token boundary) that fits in <paramref name="maxTokens"/>.</summary>
    public int PrefixFitting(ReadOnlySpan<char> text, int maxTokens)
    {
        var index = tokenizer.GetIndexByTokenCount(text, maxTokens, out var normalized, out _);
        // When normalization changed the length (accents stripped, say) the index refers to the
        // normalized text; fall back to searching prefix lengths of the original.
        if (normalized is not null && normalized.Length != text.Length)
        {
            return SearchPrefix(text, maxTokens);
        }
        index = Math.Clamp(index, 0, text.Length);
        // Some tokenizers count special tokens differently here than in CountTokens; trust CountTokens.
        return index > 0 && Count(text[..index]) > maxTokens ? SearchPrefix(text[..index], maxTokens) : index;
    }

    /// <summary>Where the last <paramref name="tokens"/> tokens of <paramref name="text"/> begin (in chars).</summary>
    public int SuffixStart(ReadOnlySpan<char> text, int tokens)
    {
        var index = tokenizer.GetIndexByTokenCountFromEnd(text, tokens, out var normalized, out _);
        return normalized is not null && normalized.Length != text.Length ? text.Length : Math.Clamp(index, 0, text.Length);
    }

    private int SearchPrefix(ReadOnlySpan<char> text, int maxTokens)
    {
        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Count(text[..mid]) <= maxTokens)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }
}
