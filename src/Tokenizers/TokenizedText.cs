namespace Rag.Tokenizers;

/// <summary>An encoding: ids, the character range of the input each id came from ((0,0) for inserted specials), and
/// whether it was cut to fit a maximum length.</summary>
public sealed record TokenizedText(int[] Ids, (int Start, int End)[] Offsets, bool Truncated);
