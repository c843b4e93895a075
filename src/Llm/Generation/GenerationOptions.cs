namespace Rag.Llm.Generation;

/// <summary>One request's limits and stops, plus its sampling.</summary>
public sealed record GenerationOptions
{
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;
    /// <summary>New tokens at most; null runs until a stop or the context window is full.</summary>
    public int? MaxNewTokens { get; init; }
    /// <summary>Text that ends generation; it is never emitted.</summary>
    public IReadOnlyList<string>? StopSequences { get; init; }
    /// <summary>Drop the oldest prompt tokens when the prompt does not fit the context window, instead of failing.</summary>
    public bool AllowTruncation { get; init; }
}
