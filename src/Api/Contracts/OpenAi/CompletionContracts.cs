using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace Rag.Api.Contracts.OpenAi;

/// <summary><c>POST /v1/completions</c>: a raw prompt, tokenized exactly as the model's tokenizer does.</summary>
public sealed record CompletionRequest : GenerationRequest
{
    /// <summary>A string, or an array holding one string.</summary>
    [Required]
    public JsonElement? Prompt { get; init; }
}

public sealed record CompletionResponse(string Id, long Created, string Model, IReadOnlyList<CompletionChoiceDto> Choices, UsageDto? Usage)
{
    [JsonPropertyName("object")]
    public string ObjectType => "text_completion";
}

public sealed record CompletionChoiceDto(string Text, int Index, object? Logprobs, string? FinishReason);
