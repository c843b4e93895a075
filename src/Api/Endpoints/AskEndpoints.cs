using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Rag.Api.Contracts.Rag;
using Rag.Api.Endpoints.Asking;
using Rag.Api.Errors;
using Rag.Api.Generation;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Search;

namespace Rag.Api.Endpoints;

/// <summary>Questions answered from a collection's passages, with citations; streamed as Server-Sent Events on request.</summary>
public static class AskEndpoints
{
    public static RouteGroupBuilder MapAskEndpoints(this RouteGroupBuilder collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        collection.MapPost("/ask", AskAsync).WithTags("Ask").WithName("Ask")
            .WithSummary("Answer a question from the collection. With \"stream\": true, Server-Sent Events: sources, delta..., done.")
            .Produces<AskResponse>(contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return collection;
    }

    public static async Task<Results<Ok<AskResponse>, ServerSentEventsResult<string>, ProblemHttpResult>> AskAsync(
        string collection, AskRequestDto request, [AsParameters] RetrievalServices services, ILogger<AskRequestDto> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var maxLength = services.Options.Value.MaxQuestionLength;
        if (request.Question!.Length > maxLength)
        {
            return Problems.QuestionTooLong(request.Question.Length, maxLength);
        }
        if (ReadHistory(request.History, out var conversation) is { } historyError)
        {
            return Problems.BadRequest(historyError);
        }
        var search = SearchEndpoints.ToSearch(request, request.Question, collection);
        if (!await services.CollectionExistsAsync(collection, cancellationToken))
        {
            return Problems.CollectionNotFound(collection);
        }

        var recorder = new GenerationRecorder(services.Metrics, "ask");
        // Read up to the sources before replying: retrieval fails with a status code, and a stream flushes the sources
        // before prefill starts, so the reader sees them while the answer is computed. What fails later (a full
        // generation queue) arrives as the stream's error event; without streaming everything is read before replying.
        var updates = await PrimedSequence.StartAsync(
            recorder.Observe(services.Answerer.AskStreamingAsync(search, conversation, Sampling(request), cancellationToken), AnswerMapping.Inspect, cancellationToken),
            _ => true, cancellationToken);
        if (request.Stream)
        {
            return TypedResults.ServerSentEvents(EventsAsync(updates, recorder, services.Json.Value.SerializerOptions, logger, cancellationToken));
        }
        Answer? answer = null;
        await foreach (var update in updates)
        {
            answer = (update as AnswerCompletedUpdate)?.Answer ?? answer;
        }
        return TypedResults.Ok(AnswerMapping.ToResponse(answer!, recorder));
    }

    private static string? ReadHistory(IReadOnlyList<AskTurnDto>? history, out List<ChatMessage> conversation)
    {
        conversation = new List<ChatMessage>(history?.Count ?? 0);
        for (var i = 0; i < (history?.Count ?? 0); i++)
        {
            var turn = history![i];
            ChatRole? role = turn.Role switch { "user" => ChatRole.User, "assistant" => ChatRole.Assistant, _ => null };
            if (role is null)
            {
                return $"history[{i}].role is '{turn.Role}'; use 'user' or 'assistant'.";
            }
            conversation.Add(new ChatMessage(role.Value, turn.Content ?? ""));
        }
        return null;
    }

    private static ChatOptions Sampling(AskRequestDto request) =>
        new() { Temperature = request.Temperature, MaxOutputTokens = request.MaxTokens, Seed = request.Seed };

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(
        PrimedSequence<AnswerUpdate> updates, GenerationRecorder recorder, JsonSerializerOptions json, ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        for (;;)
        {
            var (moved, error) = await StreamFailure.TryMoveNextAsync(enumerator, cancellationToken);
            if (error is not null)
            {
                var (status, title, detail) = StreamFailure.Describe(error, logger, "an answer stream");
                var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
                yield return new SseItem<string>(JsonSerializer.Serialize(problem, json), "error");
                yield break;
            }
            if (!moved)
            {
                yield break;
            }
            yield return enumerator.Current switch
            {
                AnswerSourcesUpdate sources => new SseItem<string>(JsonSerializer.Serialize(new SourcesEvent(AnswerMapping.ToDto(sources.Sources)), json), "sources"),
                AnswerDeltaUpdate delta => new SseItem<string>(JsonSerializer.Serialize(new DeltaEvent(delta.Text), json), "delta"),
                AnswerCompletedUpdate done => new SseItem<string>(JsonSerializer.Serialize(AnswerMapping.ToDone(done.Answer, recorder), json), "done"),
                var other => throw new InvalidOperationException($"Unexpected answer update {other.GetType().Name}."),
            };
        }
    }
}
