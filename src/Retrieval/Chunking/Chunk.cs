namespace Rag.Retrieval.Chunking;

/// <summary>
/// One piece of a document: <see cref="Text"/> is exactly the extracted text's characters
/// [<see cref="StartOffset"/>, <see cref="EndOffset"/>), and <see cref="TokenCount"/> is its length
/// as the chunker's tokenizer counts it (in the service, the embedding model's tokens without its special tokens).
/// </summary>
public sealed record Chunk(
    int Ordinal,
    string Text,
    int StartOffset,
    int EndOffset,
    int TokenCount,
    IReadOnlyList<string> SectionPath,
    int? Page);
