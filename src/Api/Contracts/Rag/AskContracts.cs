using System.ComponentModel.DataAnnotations;
using Rag.Retrieval.Answering;

namespace Rag.Api.Contracts.Rag;

public sealed record AskRequestDto : RetrievalRequest
{
    [Required(AllowEmptyStrings = false)]
    public string? Question { get; init; }

    /// <summary>Server-Sent Events: <c>sources</c>, then <c>delta</c>s, then <c>done</c>.</summary>
    public bool Stream { get; init; }

    /// <summary>Sampling temperature of the answer; unset, the answer is greedy.</summary>
    [Range(0.0, 2.0)]
    public float? Temperature { get; init; }

    /// <summary>The answer's length limit in tokens; unset, <c>Retrieval:AnswerMaxTokens</c>.</summary>
    [Range(1, 1_000_000)]
    public int? MaxTokens { get; init; }

    public long? Seed { get; init; }

    /// <summary>
    /// The conversation so far, oldest first, for a follow-up question: shown to the model after the sources as far as
    /// its window allows. Retrieval uses the question alone.
    /// </summary>
    [MaxLength(100)]
    public IReadOnlyList<AskTurnDto>? History { get; init; }
}

/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
public sealed record AskTurnDto(string? Role, string? Content);

/// <summary>A passage offered to the model as [<see cref="N"/>].</summary>
public sealed record SourceDto(int N, long ChunkId, Guid DocumentId, string DocumentName, int? Page, IReadOnlyList<string> SectionPath, string Text, double Score);

/// <param name="FinishReason"><c>stop</c>, or <c>length</c> when the answer reached its token limit and was cut short.</param>
public sealed record AskResponse(
    string Answer,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<SourceDto> Sources,
    AskUsageDto Usage,
    AskTimingsDto Timings,
    bool Abstained,
    string FinishReason);

public sealed record AskUsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);

/// <summary>Where the time went; <see cref="TimeToFirstTokenMs"/> runs from the request's arrival to the first answer text.</summary>
public sealed record AskTimingsDto(double EmbedMs, double SearchMs, double? TimeToFirstTokenMs, double? TokensPerSecond, double TotalMs);

public sealed record SourcesEvent(IReadOnlyList<SourceDto> Sources);

public sealed record DeltaEvent(string Text);

public sealed record DoneEvent(IReadOnlyList<Citation> Citations, AskUsageDto Usage, AskTimingsDto Timings, bool Abstained, string FinishReason);
