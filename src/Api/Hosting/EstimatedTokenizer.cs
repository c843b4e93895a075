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
        var consumed = input.Length;
        var i = 0;
        while (i < input.Length)
        {
            if (char.IsWhiteSpace(input[i]))
            {
                i++;
                continue;
            }
            if (tokens.Count == settings.MaxTokenCount)
            {
                consumed = i;
                break;
            }
            var end = i + 1;
            if (char.IsAsciiLetterOrDigit(input[i]))
            {
                while (end < input.Length && end - i < CharsPerWordToken && char.IsAsciiLetterOrDigit(input[end]))
                {
                    end++;
                }
            }
            tokens.Add(new EncodedToken(0, input[i..end].ToString(), new Range(i, end)));
            i = end;
        }
        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = consumed };
    }

    public override string Decode(IEnumerable<int> ids) =>
        throw new NotSupportedException("An estimated tokenizer has no vocabulary to decode with.");

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
        throw new NotSupportedException("An estimated tokenizer has no vocabulary to decode with.");
}
