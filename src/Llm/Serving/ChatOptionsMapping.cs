using System.Globalization;
using Microsoft.Extensions.AI;
using Rag.Llm.Generation;

namespace Rag.Llm.Serving;

/// <summary>Maps Microsoft.Extensions.AI <see cref="ChatOptions"/> onto generation options (what a request leaves
/// unset comes from the model's generation_config.json defaults), and a generation's outcome back.</summary>
public static class ChatOptionsMapping
{
    /// <summary>AdditionalProperties keys beyond what ChatOptions names (the OpenAI-compatible spellings).</summary>
    public const string MinP = "min_p";
    public const string RepetitionPenalty = "repetition_penalty";
    public const string AllowTruncation = "allow_truncation";

    public static GenerationOptions ToGenerationOptions(ChatOptions? options, SamplingOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (options is null)
        {
            return new GenerationOptions { Sampling = defaults };
        }
        var extra = options.AdditionalProperties;
        var sampling = defaults with
        {
            Temperature = options.Temperature ?? defaults.Temperature,
            TopP = options.TopP ?? defaults.TopP,
            TopK = options.TopK ?? defaults.TopK,
            MinP = Number(extra, MinP) ?? defaults.MinP,
            RepetitionPenalty = Number(extra, RepetitionPenalty) ?? defaults.RepetitionPenalty,
            PresencePenalty = options.PresencePenalty ?? defaults.PresencePenalty,
            FrequencyPenalty = options.FrequencyPenalty ?? defaults.FrequencyPenalty,
            Seed = options.Seed is { } seed ? unchecked((int)(seed ^ (seed >> 32))) : defaults.Seed,
        };
        return new GenerationOptions
        {
            Sampling = sampling,
            MaxNewTokens = options.MaxOutputTokens,
            StopSequences = options.StopSequences is { Count: > 0 } stops ? [.. stops] : null,
            AllowTruncation = extra is not null && extra.TryGetValue(AllowTruncation, out bool allow) && allow,
        };
    }

    /// <summary>A generation's token counts as Microsoft.Extensions.AI reports usage.</summary>
    public static UsageDetails ToUsage(GenerationStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new UsageDetails
        {
            InputTokenCount = stats.PromptTokens,
            OutputTokenCount = stats.CompletionTokens,
            TotalTokenCount = stats.PromptTokens + stats.CompletionTokens,
        };
    }

    /// <summary>Why a generation ended, as a chat finish reason; null for a cancelled one, which has no response.</summary>
    public static ChatFinishReason? ToFinishReason(FinishReason? reason) => reason switch
    {
        FinishReason.EndOfSequence or FinishReason.StopSequence => ChatFinishReason.Stop,
        FinishReason.Length => ChatFinishReason.Length,
        _ => null,
    };

    private static float? Number(AdditionalPropertiesDictionary? extra, string key) =>
        extra is not null && extra.TryGetValue(key, out var value) && value is not null
            ? Convert.ToSingle(value is System.Text.Json.JsonElement json ? json.GetDouble() : value, CultureInfo.InvariantCulture)
            : null;
}
