using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace Rag.Tokenizers;

/// <summary>
/// <see cref="HfTokenizer"/> behind Microsoft.ML.Tokenizers' <see cref="Tokenizer"/>, so code written against that
/// abstraction (the chunker's CountTokens / GetIndexByTokenCount) works with any HF model folder.
/// Special tokens are neither added nor parsed: chunk text is measured as it will be embedded between [CLS] and [SEP].
/// </summary>
internal sealed class HfTokenizerAdapter(HfTokenizer tokenizer) : Tokenizer
{
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text ?? textSpan.ToString();
        var spans = tokenizer.EncodeText(input, parseSpecialTokens: false);
        var count = Math.Min(spans.Count, settings.MaxTokenCount);
        var tokens = new List<EncodedToken>(count);
        for (var i = 0; i < count; i++)
        {
            var (id, start, end) = spans[i];
            tokens.Add(new EncodedToken(id, tokenizer.IdToToken(id) ?? string.Empty, new Range(start, end)));
        }

        return new EncodeResults<EncodedToken>
        {
            Tokens = tokens,
            NormalizedText = null,
            CharsConsumed = count == spans.Count ? input.Length : spans[count].Start,
        };
    }

    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        Math.Min(tokenizer.EncodeText(text ?? textSpan.ToString(), parseSpecialTokens: false).Count, settings.MaxTokenCount);

    public override string Decode(IEnumerable<int> ids) => tokenizer.Decode([.. ids]);

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        var all = ids.ToArray();
        var text = tokenizer.Decode(all);
        if (text.Length > destination.Length)
        {
            idsConsumed = 0;
            charsWritten = 0;
            return OperationStatus.DestinationTooSmall;
        }

        text.CopyTo(destination);
        idsConsumed = all.Length;
        charsWritten = text.Length;
        return OperationStatus.Done;
    }
}
