namespace Rag.Embedding.Pooling;

/// <summary>
/// The pooling modes of a sentence-transformers <c>Pooling</c> module. When several are set their results are
/// concatenated in the order of this enum, which is sentence-transformers' order.
/// </summary>
[Flags]
public enum PoolingModes
{
    None = 0,
    Cls = 1,
    Max = 2,
    Mean = 4,
    MeanSqrtLength = 8,
    LastToken = 16,
}
