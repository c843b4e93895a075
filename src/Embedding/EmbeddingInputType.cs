using Microsoft.Extensions.AI;

namespace Rag.Embedding;

/// <summary>
/// Whether a text is a search query or a passage to be found: asymmetric models (e5, bge, arctic-embed) want different
/// prefixes. Through the abstraction, callers say it with <c>EmbeddingGenerationOptions.AdditionalProperties["input_type"]</c>
/// set to <c>"query"</c> or <c>"passage"</c> (<c>"document"</c> is accepted too); passage is the default.
/// </summary>
public enum EmbeddingInputType
{
    Passage,
    Query,
}

/// <summary>Reads the <see cref="EmbeddingInputType"/> a caller asked for, the same way for every generator.</summary>
public static class EmbeddingInputTypes
{
    /// <summary>Key of <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> that selects query or passage.</summary>
    public const string Property = "input_type";

    public static EmbeddingInputType Of(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Property, out var value) == true
            ? value switch
            {
                EmbeddingInputType type => type,
                string s when s.Equals("query", StringComparison.OrdinalIgnoreCase) => EmbeddingInputType.Query,
                string s when s.Equals("passage", StringComparison.OrdinalIgnoreCase) || s.Equals("document", StringComparison.OrdinalIgnoreCase) => EmbeddingInputType.Passage,
                _ => throw new ArgumentException($"AdditionalProperties[\"{Property}\"] must be \"query\" or \"passage\", not '{value}'."),
            }
            : EmbeddingInputType.Passage;
}
