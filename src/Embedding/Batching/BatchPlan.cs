namespace Rag.Embedding.Batching;

/// <summary>Which texts run together, in which order.</summary>
/// <param name="Order">Input indices, longest text first.</param>
/// <param name="Batches">Consecutive ranges of <paramref name="Order"/>, one per model run.</param>
public sealed record BatchPlan(int[] Order, IReadOnlyList<Range> Batches);
