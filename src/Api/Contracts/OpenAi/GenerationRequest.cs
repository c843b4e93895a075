using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Rag.Api.Contracts.OpenAi;

/// <summary>The sampling fields chat and text completions share.</summary>
public abstract record GenerationRequest
{
    public string? Model { get; init; }

    /// <summary>0 means greedy decoding.</summary>
    [Range(0.0, 2.0)]
    public float? Temperature { get; init; }

    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public float? TopP { get; init; }

    [Range(1, 1_000_000)]
    public int? MaxTokens { get; init; }

    /// <summary>Subtracted once from the logit of every token already generated (OpenAI).</summary>
    [Range(-2.0, 2.0)]
    public float? PresencePenalty { get; init; }

    /// <summary>Subtracted from a token's logit once per time it was generated (OpenAI).</summary>
    [Range(-2.0, 2.0)]
    public float? FrequencyPenalty { get; init; }

    /// <summary>Extension, as in vLLM: logits of tokens already in the context are divided by it (multiplied when negative); 1 is off.</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public float? RepetitionPenalty { get; init; }

    /// <summary>Extension, as in vLLM: drop tokens less likely than min_p × the most likely one's probability.</summary>
    [Range(0.0, 1.0)]
    public float? MinP { get; init; }

    /// <summary>A string or an array of up to four strings.</summary>
    public JsonElement? Stop { get; init; }

    public long? Seed { get; init; }

    /// <summary>Only one choice per request is generated.</summary>
    [Range(1, 1)]
    public int? N { get; init; }

    public bool Stream { get; init; }

    public StreamOptionsDto? StreamOptions { get; init; }
}
