using System.Text.Json.Serialization;

namespace Rag.Api.Contracts.OpenAi;

public sealed record ModelListResponse(IReadOnlyList<ModelDto> Data)
{
    [JsonPropertyName("object")]
    public string ObjectType => "list";
}

/// <summary>An OpenAI model entry; <see cref="Kind"/>, <see cref="Demo"/>, <see cref="FullId"/> and <see cref="Weights"/> are this service's additions.</summary>
public sealed record ModelDto(string Id, long Created, string OwnedBy, ModelKind Kind, bool Demo, int? Dimensions = null)
{
    /// <summary>The id with its weights hash (<c>name@sha256:…</c>), as collections record it.</summary>
    public string? FullId { get; init; }

    /// <summary>The weights hash (<c>sha256:…</c>).</summary>
    public string? Weights { get; init; }

    [JsonPropertyName("object")]
    public string ObjectType => "model";
}

public enum ModelKind
{
    Llm,
    Embedding,
    Reranker,
}
