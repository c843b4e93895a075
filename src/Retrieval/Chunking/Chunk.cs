namespace Rag.Retrieval.Chunking;

/// <summary>
/// One piece of a document: <see cref="Text"/> is exactly the extracted text's characters
/// [<see cref="StartOffset"/>, <see cref="EndOffset"/>), and <see cref="TokenCount"/> is its length
/// in the embedding model's tokens (special tokens included).
/// </summary>
public sealed record Chunk(
    int Ordinal,
    string Text,
    int StartOffset,
    int EndOffset,
    int TokenCount,
    IReadOnlyList<string> SectionPath,
    int? Page);
