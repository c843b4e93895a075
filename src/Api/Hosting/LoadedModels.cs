using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Rag.Api.Contracts.OpenAi;

namespace Rag.Api.Hosting;

/// <summary>The two models this process serves, by the ids clients name them with.</summary>
public sealed class LoadedModels(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>> embedder, IOptions<ApiOptions> options)
{
    private readonly long loadedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public string LlmId { get; } = chat.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";

    public string EmbeddingId { get; } = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embedding";

    public int? EmbeddingDimensions { get; } = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;

    public bool Demo => options.Value.DemoModels;

    public IReadOnlyList<ModelDto> All =>
    [
        new(LlmId, loadedAt, "local", ModelKind.Llm, Demo),
        new(EmbeddingId, loadedAt, "local", ModelKind.Embedding, Demo, EmbeddingDimensions),
    ];

    /// <summary>True when <paramref name="requested"/> is empty (the loaded model) or names the loaded model of that kind.</summary>
    public bool Serves(string? requested, ModelKind kind) =>
        string.IsNullOrEmpty(requested) || string.Equals(requested, kind == ModelKind.Llm ? LlmId : EmbeddingId, StringComparison.OrdinalIgnoreCase);
}
