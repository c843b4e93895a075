namespace Rag.Tokenizers.Normalizers;

/// <summary>Rewrites text before pre-tokenization, keeping each char's origin.</summary>
internal interface INormalizer
{
    AlignedText Normalize(AlignedText text);
}
