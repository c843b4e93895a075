using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using System.Text.Json;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Search;

namespace Rag.Api.Contracts.OpenAi;

/// <summary><c>POST /v1/chat/completions</c>, as OpenAI defines it, plus the retrieval extension fields.</summary>
public sealed record ChatCompletionRequest : GenerationRequest, Rag.IRetrievalFields
{
    [Required, MinLength(1)]
    public IReadOnlyList<ChatMessageDto>? Messages { get; init; }

    [Range(1, 1_000_000)]
    public int? MaxCompletionTokens { get; init; }

    /// <summary>Extension: answer from this collection's passages (retrieval-augmented).</summary>
    public string? Collection { get; init; }

    /// <summary>Extension: how many passages to retrieve when <see cref="Collection"/> is set.</summary>
    [Range(1, 100)]
    public int? TopK { get; init; }

    /// <summary>Extension: minimum cosine similarity of a passage when <see cref="Collection"/> is set.</summary>
    [Range(-1.0, 1.0)]
    public double? MinScore { get; init; }

    /// <summary>Extension: tag filter for retrieval when <see cref="Collection"/> is set.</summary>
    public JsonElement? Filter { get; init; }

    /// <summary>Extension: vector or hybrid retrieval when <see cref="Collection"/> is set.</summary>
    public SearchMode Mode { get; init; } = SearchMode.Vector;

    /// <summary>Extension: rerank the passages with the configured cross-encoder; unset: whenever one is configured.</summary>
    public bool? Rerank { get; init; }
}

public sealed record ChatMessageDto
{
    [Required]
    public string? Role { get; init; }

    /// <summary>A string, or an array of content parts of which the <c>text</c> ones are read.</summary>
    public JsonElement? Content { get; init; }
}

public sealed record StreamOptionsDto(bool IncludeUsage);

public sealed record ChatCompletionResponse(string Id, long Created, string Model, IReadOnlyList<ChatChoiceDto> Choices, UsageDto Usage)
{
    /// <summary>Extension: with a collection, the passages the answer was grounded on, by their [n].</summary>
    public IReadOnlyList<Rag.SourceDto>? Sources { get; init; }

    /// <summary>Extension: with a collection, the sources the answer cites as [n], with where they came from.</summary>
    public IReadOnlyList<Citation>? Citations { get; init; }

    [JsonPropertyName("object")]
    public string ObjectType => "chat.completion";
}

public sealed record ChatChoiceDto(int Index, AssistantMessageDto Message, string? FinishReason);

public sealed record AssistantMessageDto(string Role, string Content);

public sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChatChunkChoiceDto> Choices, UsageDto? Usage)
{
    /// <summary>Extension: with a collection, the first chunk carries the passages the answer is grounded on, by their [n].</summary>
    public IReadOnlyList<Rag.SourceDto>? Sources { get; init; }

    /// <summary>Extension: with a collection, the chunk with the finish reason carries the sources the answer cites.</summary>
    public IReadOnlyList<Citation>? Citations { get; init; }

    [JsonPropertyName("object")]
    public string ObjectType => "chat.completion.chunk";
}

public sealed record ChatChunkChoiceDto(int Index, ChatDeltaDto Delta, string? FinishReason);

public sealed record ChatDeltaDto(string? Role, string? Content);

public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);

/// <summary>A stream's last data event when generation fails after the response started, as vLLM and OpenAI send it;
/// the fields are those of the problem the request would have answered before streaming began.</summary>
public sealed record StreamErrorChunk(StreamErrorDto Error);

public sealed record StreamErrorDto(string Message, string Type, int Code);
