namespace Rag.Retrieval.Storage;

/// <summary>A collection and the embedding model whose vectors it holds.</summary>
public sealed record CollectionInfo(long Id, string Name, string EmbeddingModel, int EmbeddingDimension);

/// <summary>Which embedding model produced (or will produce) a set of vectors.</summary>
public sealed record EmbeddingModelInfo(string Id, int Dimension);
