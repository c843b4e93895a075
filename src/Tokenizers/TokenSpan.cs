namespace Rag.Tokenizers;

/// <summary>One token: its id and the range of the original text it came from.</summary>
internal readonly record struct TokenSpan(int Id, int Start, int End);
