namespace Rag.Tokenizers;

/// <summary>A token from <c>added_tokens</c>: matched in the raw text before the model runs.</summary>
public sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool SingleWord = false,
    bool LeftStrip = false,
    bool RightStrip = false,
    bool Normalized = false);
