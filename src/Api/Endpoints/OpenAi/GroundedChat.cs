using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.AI;
using Rag.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Contracts.OpenAi;
using Rag.Api.Endpoints.Asking;
using Rag.Api.Errors;
using Rag.Retrieval.Answering;

namespace Rag.Api.Endpoints.OpenAi;

/// <summary>
/// <c>/v1/chat/completions</c> with the <c>collection</c> extension: the last user message is answered from the
/// collection's passages by the <see cref="Answerer"/>, in the conversation before it (its grounded prompt; the
/// request's sampling fields, greedy when unset), shaped as chat output.
/// </summary>
internal static class GroundedChat
{
    /// <summary>
    /// The question (the last user message) and the conversation before it, or the problem that stops the request:
    /// a collection the caller may not use or that does not exist, a missing or over-long question.
    /// </summary>
    public static async Task<(string Question, IReadOnlyList<ChatMessage> Conversation, ProblemHttpResult? Problem)> CheckAsync(
        ChatCompletionRequest request, IReadOnlyList<ChatMessage> messages, ClaimsPrincipal user, OpenAiServices services, CancellationToken cancellationToken)
    {
        var collection = request.Collection!;
        if (CollectionRouteFilter.Check(user, collection) is { } refused)
        {
            return ("", [], refused);
        }
        var model = await services.Embedder.GetModelAsync(cancellationToken);
        if (await services.Store.FindCollectionAsync(collection, model, cancellationToken) is null)
        {
            return ("", [], Problems.CollectionNotFound(collection));
        }
        var last = messages.Count - 1;
        while (last >= 0 && messages[last].Role != ChatRole.User)
        {
            last--;
        }
        var question = last < 0 ? "" : messages[last].Text;
        if (string.IsNullOrWhiteSpace(question))
        {
            return ("", [], Problems.BadRequest("With 'collection' set, the last user message is the question; it is missing or empty."));
        }
        // As for /ask: a question that crowds every source out of the window would only ever abstain.
        var limit = services.Options.Value.MaxQuestionLength;
        return question.Length > limit
            ? ("", [], Problems.QuestionTooLong(question.Length, limit))
            : (question, messages.Take(last).ToList(), null);
    }

    /// <summary>The answer's updates as chat updates; its passages and citations are kept in <paramref name="grounding"/>.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> AsChatAsync(
        IAsyncEnumerable<AnswerUpdate> updates, Grounding grounding, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            switch (update)
            {
                case AnswerSourcesUpdate found:
                    grounding.Sources.AddRange(AnswerMapping.ToDto(found.Sources));
                    // An update without text ends the handler's read-ahead here, so a stream's first chunk carries the
                    // sources before prefill starts.
                    yield return new ChatResponseUpdate(ChatRole.Assistant, []);
                    break;
                case AnswerDeltaUpdate delta:
                    yield return new ChatResponseUpdate(ChatRole.Assistant, delta.Text);
                    break;
                case AnswerCompletedUpdate { Answer: var answer }:
                    grounding.Citations = answer.Citations;
                    yield return new ChatResponseUpdate(ChatRole.Assistant, answer.Usage is { } usage ? [new UsageContent(usage)] : [])
                    {
                        FinishReason = answer.FinishReason ?? ChatFinishReason.Stop,
                    };
                    break;
            }
        }
    }
}
