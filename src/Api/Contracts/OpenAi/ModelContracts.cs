using System.Text.Json.Serialization;

namespace Rag.Api.Contracts.OpenAi;

public sealed record ModelListResponse(IReadOnlyList<ModelDto> Data)
{
    [JsonPropertyName("object")]
    public string ObjectType => "list";
}

/// <summary>An OpenAI model entry; <see cref="Kind"/> and <see cref="Demo"/> are this service's additions.</summary>
public sealed record ModelDto(string Id, long Created, string OwnedBy, ModelKind Kind, bool Demo, int? Dimensions = null)
{
    [JsonPropertyName("object")]
    public string ObjectType => "model";
}

public enum ModelKind
{
    Llm,
    Embedding,
    Reranker,
}
