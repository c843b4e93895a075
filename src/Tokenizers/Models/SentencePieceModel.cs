using Microsoft.ML.Tokenizers;

namespace Rag.Tokenizers.Models;

/// <summary>A <c>tokenizer.model</c> (SentencePiece protobuf) run by Microsoft.ML.Tokenizers, which does its own normalization.</summary>
internal sealed class SentencePieceModel(SentencePieceTokenizer tokenizer) : ITokenModel
{
    public Vocabulary Vocabulary { get; } = new(tokenizer.Vocabulary);

    public SentencePieceTokenizer Tokenizer { get; } = tokenizer;

    public void Tokenize(AlignedText piece, List<TokenSpan> output)
    {
        var tokens = Tokenizer.EncodeToTokens(piece.Text, out _, addBeginningOfSentence: false, addEndOfSentence: false);
        foreach (var token in tokens)
        {
            // Offsets refer to SentencePiece's normalized text (a ▁ prepended); clamp them into the piece.
            var start = Math.Clamp(token.Offset.Start.GetOffset(piece.Length), 0, piece.Length);
            var end = Math.Clamp(token.Offset.End.GetOffset(piece.Length), start, piece.Length);
            output.Add(new TokenSpan(token.Id, piece.Origins[start], piece.Origins[end]));
        }
    }
}
