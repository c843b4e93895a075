using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace Rag.Api.Hosting;

/// <summary>
/// Token counts for a remote model whose tokenizer is not at hand, erring on the long side so a prompt or chunk
/// counted with it fits the real model: one token per 3 characters of a run of ASCII letters and digits (BPE
/// vocabularies average about 4 for English), one per other ASCII symbol, one per non-ASCII character; whitespace
/// is free. Ids are meaningless (0), so it only counts and cuts text.
/// </summary>
internal sealed class EstimatedTokenizer : Tokenizer
{
    private const int CharsPerWordToken = 3;

    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text is null ? textSpan : text.AsSpan();
        var tokens = new List<EncodedToken>();
        var index = 0;
        while (tokens.Count < settings.MaxTokenCount && Next(input, ref index, out var start))
        {
            tokens.Add(new EncodedToken(0, input[start..index].ToString(), new Range(start, index)));
        }
        // Stopped by the budget with text left: what was consumed ends where the next token would start.
        var consumed = index;
        var consumedAll = !Next(input, ref consumed, out _);
        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = consumedAll ? input.Length : index };
    }

    // Counting runs on every prompt and chunk: no token objects.
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text is null ? textSpan : text.AsSpan();
        var count = 0;
        var index = 0;
        while (count < settings.MaxTokenCount && Next(input, ref index, out _))
        {
            count++;
        }
        return count;
    }

    public override string Decode(IEnumerable<int> ids) =>
        throw new NotSupportedException("An estimated tokenizer has no vocabulary to decode with.");

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
        throw new NotSupportedException("An estimated tokenizer has no vocabulary to decode with.");

    /// <summary>Moves <paramref name="index"/> past the next token, which begins at <paramref name="start"/>; false at the end.</summary>
    private static bool Next(ReadOnlySpan<char> input, ref int index, out int start)
    {
        while (index < input.Length && char.IsWhiteSpace(input[index]))
        {
            index++;
        }
        start = index;
        if (index == input.Length)
        {
            return false;
        }
        index++;
        if (char.IsAsciiLetterOrDigit(input[start]))
        {
            while (index < input.Length && index - start < CharsPerWordToken && char.IsAsciiLetterOrDigit(input[index]))
            {
                index++;
            }
        }
        return true;
    }
}
