namespace Rag.Llm.Generation;

/// <summary>How the next token is picked from the logits. Defaults leave the distribution untouched (temperature 1,
/// no truncation, no penalties); <see cref="Temperature"/> 0 is greedy.</summary>
public sealed record SamplingOptions
{
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0 };

    public float Temperature { get; init; } = 1f;
    /// <summary>Keep only the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }
    /// <summary>Keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all.</summary>
    public float TopP { get; init; } = 1f;
    /// <summary>Drop tokens less likely than min-p × the most likely token's probability; 0 keeps all.</summary>
    public float MinP { get; init; }
    /// <summary>Hugging Face style: logits of tokens already in the context are divided (positive) or multiplied
    /// (negative) by this; 1 is off.</summary>
    public float RepetitionPenalty { get; init; } = 1f;
    /// <summary>OpenAI style: subtracted once from the logit of every token already generated.</summary>
    public float PresencePenalty { get; init; }
    /// <summary>OpenAI style: subtracted from a token's logit once per time it was generated.</summary>
    public float FrequencyPenalty { get; init; }
    /// <summary>Seed for reproducible sampling; null draws from a fresh random source.</summary>
    public int? Seed { get; init; }

    public bool IsGreedy => Temperature <= 0f;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Temperature);
        ArgumentOutOfRangeException.ThrowIfNegative(TopK);
        if (TopP is <= 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1].");
        }
        if (MinP is < 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "min_p must be in [0, 1].");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RepetitionPenalty);
    }
}
