using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace Rag.Api.Contracts.OpenAi;

/// <summary><c>POST /v1/embeddings</c>. The OpenAI SDKs ask for <c>base64</c> by default, so both encodings are served.</summary>
public sealed record EmbeddingRequest
{
    public string? Model { get; init; }

    /// <summary>A string or an array of strings.</summary>
    [Required]
    public JsonElement? Input { get; init; }

    [AllowedValues("float", "base64", null)]
    public string? EncodingFormat { get; init; }

    [Range(1, 100_000)]
    public int? Dimensions { get; init; }
}

public sealed record EmbeddingResponse(IReadOnlyList<EmbeddingDataDto> Data, string Model, EmbeddingUsageDto Usage)
{
    [JsonPropertyName("object")]
    public string ObjectType => "list";
}

/// <summary><see cref="Embedding"/> is a <c>float[]</c> or a base64 string of little-endian float32s.</summary>
public sealed record EmbeddingDataDto(int Index, object Embedding)
{
    [JsonPropertyName("object")]
    public string ObjectType => "embedding";
}

public sealed record EmbeddingUsageDto(int PromptTokens, int TotalTokens);
