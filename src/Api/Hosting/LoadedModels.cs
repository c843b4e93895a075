using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Rag.Api.Contracts.OpenAi;
using Rag.Retrieval.Search;

namespace Rag.Api.Hosting;

/// <summary>The models this process serves, by the ids clients name them with: the LLM, the embedder and the optional reranker.</summary>
public sealed class LoadedModels(
    IChatClient chat, IEmbeddingGenerator<string, Embedding<float>> embedder, IOptions<ApiOptions> options, IPassageReranker? reranker = null)
{
    private readonly long loadedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public string LlmId { get; } = chat.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";

    public string EmbeddingId { get; } = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embedding";

    public int? EmbeddingDimensions { get; } = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;

    public string? RerankerId { get; } = reranker?.ModelId;

    /// <summary>The LLM is the untrained demo decoder (<c>Api:DemoModels</c>); the embedder and reranker are real models.</summary>
    public bool Demo => options.Value.DemoModels;

    public IReadOnlyList<ModelDto> All => RerankerId is null
        ? [LlmEntry, EmbeddingEntry]
        : [LlmEntry, EmbeddingEntry, new(RerankerId, loadedAt, "local", ModelKind.Reranker, false)];

    private ModelDto LlmEntry => new(LlmId, loadedAt, "local", ModelKind.Llm, Demo);

    private ModelDto EmbeddingEntry => new(EmbeddingId, loadedAt, "local", ModelKind.Embedding, false, EmbeddingDimensions);

    /// <summary>True when <paramref name="requested"/> is empty (the loaded model) or names the loaded model of that kind by its full or short id.</summary>
    public bool Serves(string? requested, ModelKind kind) => Endpoints.OpenAi.ModelNames.Matches(requested, kind == ModelKind.Llm ? LlmId : EmbeddingId);
}
