namespace Rag.Tokenizers.Models;

/// <summary>The model step of the pipeline: one pre-tokenized piece in, its tokens out.</summary>
internal interface ITokenModel
{
    Vocabulary Vocabulary { get; }

    void Tokenize(AlignedText piece, List<TokenSpan> output);
}
