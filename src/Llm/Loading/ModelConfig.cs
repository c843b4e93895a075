using Rag.Llm.Generation;

namespace Rag.Llm.Loading;

/// <summary>The decoder's shape and token conventions, read from <c>config.json</c>, <c>generation_config.json</c>
/// and, for ONNX Runtime GenAI folders, <c>genai_config.json</c>.</summary>
public sealed record ModelConfig
{
    public required string ModelType { get; init; }
    public required int VocabSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    /// <summary>Positions the model was trained for: the context window unless the caller narrows it.</summary>
    public required int ContextLength { get; init; }
    public required IReadOnlyList<int> EosTokenIds { get; init; }
    public int? BosTokenId { get; init; }
    /// <summary>genai_config.json's <c>search.past_present_share_buffer</c>: past and present are one buffer (GroupQueryAttention).</summary>
    public bool PastPresentShareBuffer { get; init; }
    /// <summary>Sampling a request gets when it sets none: generation_config.json's, greedy unless it says do_sample.</summary>
    public SamplingOptions DefaultSampling { get; init; } = SamplingOptions.Greedy;
}
