using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Rag.Retrieval.Search;

namespace Rag.Retrieval.Answering;

/// <summary>A retrieved chunk; <see cref="Number"/> is its [n] in the prompt, null when it did not fit the context window.</summary>
public sealed record AnswerSource(int? Number, SearchHit Hit);

/// <summary>A source the answer actually cites as [n], with where it came from.</summary>
public sealed record Citation(
    int Number,
    long ChunkId,
    Guid DocumentId,
    string DocumentName,
    int? Page,
    int StartOffset,
    int EndOffset,
    IReadOnlyList<string> SectionPath);

/// <summary>
/// Where the time went. <see cref="TimeToFirstTokenMs"/> runs from the chat call to its first text;
/// <see cref="DecodeTokensPerSecond"/> counts tokens after the first one (the first pays for prefill).
/// </summary>
public sealed record AnswerTimings(
    double EmbedMs,
    double SearchMs,
    double? TimeToFirstTokenMs,
    double? DecodeTokensPerSecond,
    double TotalMs);

/// <param name="Abstained">True when nothing relevant was found and the LLM was not asked.</param>
public sealed record Answer(
    string Text,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<AnswerSource> Sources,
    UsageDetails? Usage,
    AnswerTimings Timings,
    bool Abstained)
{
    /// <summary>Why the LLM stopped (<see cref="ChatFinishReason.Length"/> when the answer was cut short); null when it was not asked.</summary>
    public ChatFinishReason? FinishReason { get; init; }
}

/// <summary>What <see cref="Answerer.AskStreamingAsync"/> yields: sources first, then text deltas, then the completed answer.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AnswerSourcesUpdate), "sources")]
[JsonDerivedType(typeof(AnswerDeltaUpdate), "delta")]
[JsonDerivedType(typeof(AnswerCompletedUpdate), "done")]
public abstract record AnswerUpdate;

public sealed record AnswerSourcesUpdate(IReadOnlyList<AnswerSource> Sources) : AnswerUpdate;

public sealed record AnswerDeltaUpdate(string Text) : AnswerUpdate;

/// <summary>The final record: the full answer with citations, usage and timings.</summary>
public sealed record AnswerCompletedUpdate(Answer Answer) : AnswerUpdate;
