namespace Rag.ModelForge.Tokenizer;

/// <summary>
/// A learned byte-level BPE tokenizer: the vocabulary in id order (256 byte symbols, then one entry per merge),
/// the merges in priority order, and the special tokens appended after the vocabulary (Qwen2's arrangement).
/// </summary>
public sealed record BpeModel(IReadOnlyList<string> Vocabulary, IReadOnlyList<(string Left, string Right)> Merges)
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>GPT-2's pre-tokenization: contractions, words with their leading space, numbers, punctuation runs, whitespace.</summary>
    public const string PreTokenizerPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static IReadOnlyList<string> SpecialTokens { get; } = [EndOfText, ImStart, ImEnd];

    /// <summary>Vocabulary plus special tokens: the size of the model's embedding table for the tiny preset.</summary>
    public int Count => Vocabulary.Count + SpecialTokens.Count;

    public int SpecialId(string token) => Vocabulary.Count + IndexOf(token);

    private static int IndexOf(string token)
    {
        for (var i = 0; i < SpecialTokens.Count; i++)
        {
            if (SpecialTokens[i] == token)
            {
                return i;
            }
        }
        throw new ArgumentException($"'{token}' is not a special token.", nameof(token));
    }
}
