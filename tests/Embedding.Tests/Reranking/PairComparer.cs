using Rag.Embedding.Batching;

namespace Rag.Embedding.Tests.Reranking;

/// <summary>Encoded pairs are equal when their ids, segment boundary and truncation flag are (the record compares the id array by reference).</summary>
internal sealed class PairComparer : IEqualityComparer<EncodedText>
{
    public static readonly PairComparer Instance = new();

    public bool Equals(EncodedText x, EncodedText y) =>
        x.Ids.AsSpan().SequenceEqual(y.Ids) && x.SecondSegmentStart == y.SecondSegmentStart && x.Truncated == y.Truncated;

    public int GetHashCode(EncodedText obj) => HashCode.Combine(obj.Length, obj.SecondSegmentStart);
}
