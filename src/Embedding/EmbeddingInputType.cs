namespace Rag.Embedding;

/// <summary>
/// Whether a text is a search query or a passage to be found: asymmetric models (e5, bge) want different prefixes.
/// Through the abstraction, callers say it with <c>EmbeddingGenerationOptions.AdditionalProperties["input_type"]</c>
/// set to <c>"query"</c> or <c>"passage"</c> (<c>"document"</c> is accepted too); passage is the default.
/// </summary>
public enum EmbeddingInputType
{
    Passage,
    Query,
}
