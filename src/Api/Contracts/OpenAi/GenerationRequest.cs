using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Rag.Api.Contracts.OpenAi;

/// <summary>The sampling fields chat and text completions share.</summary>
public abstract record GenerationRequest
{
    public string? Model { get; init; }

    /// <summary>0 means greedy decoding.</summary>
    [Range(0.0, 2.0)]
    public float? Temperature { get; init; }

    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public float? TopP { get; init; }

    [Range(1, 1_000_000)]
    public int? MaxTokens { get; init; }

    /// <summary>A string or an array of up to four strings.</summary>
    public JsonElement? Stop { get; init; }

    public long? Seed { get; init; }

    /// <summary>Only one choice per request is generated.</summary>
    [Range(1, 1)]
    public int? N { get; init; }

    public bool Stream { get; init; }

    public StreamOptionsDto? StreamOptions { get; init; }
}
