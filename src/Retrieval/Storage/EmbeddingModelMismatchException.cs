namespace Rag.Retrieval.Storage;

/// <summary>
/// A collection is used with an embedding model other than the one that wrote it; its vectors
/// would be compared with vectors from another space, so the request is refused (maps to HTTP 409).
/// </summary>
public sealed class EmbeddingModelMismatchException(CollectionInfo collection, EmbeddingModelInfo requested)
    : Exception(
        $"Collection '{collection.Name}' holds embeddings from model '{collection.EmbeddingModel}' ({collection.EmbeddingDimension} dimensions) " +
        $"but the configured embedding model is '{requested.Id}' ({requested.Dimension} dimensions). " +
        "Use the original model, or ingest into a new collection.")
{
    public CollectionInfo Collection { get; } = collection;

    public EmbeddingModelInfo Requested { get; } = requested;
}
