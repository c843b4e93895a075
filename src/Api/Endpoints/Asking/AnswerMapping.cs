using Rag.Api.Contracts.Rag;
using Rag.Api.Generation;
using Rag.Retrieval.Answering;

namespace Rag.Api.Endpoints.Asking;

internal static class AnswerMapping
{
    /// <summary>The passages the model was shown, by their [n]; retrieved ones that did not fit the prompt are left out.</summary>
    public static List<SourceDto> ToDto(IReadOnlyList<AnswerSource> sources) =>
        sources.Where(s => s.Number is not null)
            .Select(s => new SourceDto(s.Number!.Value, s.Hit.ChunkId, s.Hit.DocumentId, s.Hit.DocumentName, s.Hit.Page, s.Hit.SectionPath, s.Hit.Text, s.Hit.Score))
            .ToList();

    public static AskUsageDto Usage(Answer answer, GenerationRecorder recorder)
    {
        var prompt = (int)(answer.Usage?.InputTokenCount ?? 0);
        var completion = (int?)answer.Usage?.OutputTokenCount ?? (answer.Abstained ? 0 : recorder.OutputTokens);
        return new AskUsageDto(prompt, completion, prompt + completion);
    }

    public static AskTimingsDto Timings(Answer answer, GenerationRecorder recorder) =>
        new(answer.Timings.EmbedMs,
            answer.Timings.SearchMs,
            answer.Abstained ? null : recorder.TimeToFirstToken?.TotalMilliseconds,
            answer.Timings.DecodeTokensPerSecond ?? recorder.TokensPerSecond,
            recorder.Elapsed.TotalMilliseconds);

    public static AskResponse ToResponse(Answer answer, GenerationRecorder recorder) =>
        new(answer.Text, answer.Citations, ToDto(answer.Sources), Usage(answer, recorder), Timings(answer, recorder), answer.Abstained, OpenAiEndpoints.FinishReason(answer.FinishReason));

    public static DoneEvent ToDone(Answer answer, GenerationRecorder recorder) =>
        new(answer.Citations, Usage(answer, recorder), Timings(answer, recorder), answer.Abstained, OpenAiEndpoints.FinishReason(answer.FinishReason));

    /// <summary>Lets a <see cref="GenerationRecorder"/> see the answer's text and usage.</summary>
    public static void Inspect(GenerationRecorder recorder, AnswerUpdate update)
    {
        switch (update)
        {
            case AnswerDeltaUpdate delta:
                recorder.RecordText(delta.Text);
                break;
            case AnswerCompletedUpdate completed:
                recorder.RecordUsage(completed.Answer.Usage);
                break;
        }
    }
}
