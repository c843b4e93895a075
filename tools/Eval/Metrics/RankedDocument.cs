namespace Rag.Eval.Metrics;

/// <summary>A retrieved passage's document, in the order the service ranked the passages.</summary>
public readonly record struct RankedDocument(string Name, Guid Id);
