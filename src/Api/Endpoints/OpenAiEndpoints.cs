using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Rag.Api.Contracts.OpenAi;
using Rag.Api.Contracts.Rag;
using Rag.Api.Endpoints.OpenAi;
using Rag.Api.Errors;
using Rag.Api.Generation;
using Rag.Llm.Serving;
using Rag.Retrieval;
using Microsoft.ML.Tokenizers;

namespace Rag.Api.Endpoints;

/// <summary>OpenAI-compatible endpoints, so the OpenAI SDKs and curl examples work unchanged against the local models.</summary>
public static class OpenAiEndpoints
{
    public static RouteGroupBuilder MapOpenAiEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var openAi = v1.MapGroup("/").WithTags("OpenAI-compatible");
        openAi.MapPost("/chat/completions", ChatAsync).WithName("CreateChatCompletion")
            .WithSummary("Chat with the loaded LLM; with \"collection\" set, answers from that collection's passages.");
        openAi.MapPost("/completions", CompletionsAsync).WithName("CreateCompletion")
            .WithSummary("Continue a raw prompt (no chat template) with the loaded LLM.");
        openAi.MapPost("/embeddings", EmbeddingsAsync).WithName("CreateEmbeddings").WithSummary("Embed strings with the loaded embedding model.");
        return v1;
    }

    public static async Task<Results<Ok<ChatCompletionResponse>, ServerSentEventsResult<string>, ProblemHttpResult>> ChatAsync(
        ChatCompletionRequest request, [AsParameters] OpenAiServices services, ClaimsPrincipal user, ILogger<ChatCompletionRequest> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Models.Serves(request.Model, ModelKind.Llm))
        {
            return Problems.ModelNotFound(request.Model!);
        }
        if (OpenAiRequestReader.ReadMessages(request.Messages!, out var messages) is { } error
            || (error = OpenAiRequestReader.ReadStop(request.Stop, out var stop)) is not null)
        {
            return Problems.BadRequest(error);
        }
        var options = ToChatOptions(request, services, stop, request.MaxCompletionTokens ?? request.MaxTokens);

        var grounding = request.Collection is null ? null : new Grounding();
        IAsyncEnumerable<ChatResponseUpdate> generation;
        if (grounding is null)
        {
            generation = services.Chat.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
        else
        {
            var (question, conversation, problem) = await GroundedChat.CheckAsync(request, messages, user, services, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }
            var answer = services.Answerer.AskStreamingAsync(
                SearchEndpoints.ToSearch(request, question, request.Collection!), conversation, options, cancellationToken);
            generation = GroundedChat.AsChatAsync(answer, grounding, cancellationToken);
        }
        var recorder = new GenerationRecorder(services.Metrics, "chat");
        var updates = await PrimedSequence.StartAsync(recorder.Observe(generation, cancellationToken), _ => true, cancellationToken);

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (request.Stream)
        {
            var includeUsage = request.StreamOptions?.IncludeUsage ?? false;
            return TypedResults.ServerSentEvents(ChatChunksAsync(updates, recorder, id, created, services, includeUsage, grounding, logger, cancellationToken));
        }
        var response = await updates.ToChatResponseAsync(cancellationToken);
        return TypedResults.Ok(new ChatCompletionResponse(id, created, services.Models.LlmId,
            [new ChatChoiceDto(0, new AssistantMessageDto("assistant", response.Text), FinishReason(recorder.FinishReason))],
            Usage(recorder))
        {
            Sources = grounding?.Sources,
            Citations = grounding?.Citations,
        });
    }

    public static async Task<Results<Ok<CompletionResponse>, ServerSentEventsResult<string>, ProblemHttpResult>> CompletionsAsync(
        CompletionRequest request, [AsParameters] OpenAiServices services, [FromServices] LlmModel? llm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Models.Serves(request.Model, ModelKind.Llm))
        {
            return Problems.ModelNotFound(request.Model!);
        }
        if (OpenAiRequestReader.ReadPrompt(request.Prompt, out var prompt) is { } error
            || (error = OpenAiRequestReader.ReadStop(request.Stop, out var stop)) is not null)
        {
            return Problems.BadRequest(error);
        }
        if (llm is null)
        {
            return TypedResults.Problem("Raw completions need the local model (Llm:ModelPath); a remote Llm:Endpoint serves /v1/chat/completions.",
                statusCode: StatusCodes.Status501NotImplemented, title: "Not available with a remote LLM");
        }
        var recorder = new GenerationRecorder(services.Metrics, "completions");
        var generation = TextCompletion.GenerateAsync(llm, prompt, ToChatOptions(request, services, stop, request.MaxTokens), cancellationToken);
        var updates = await PrimedSequence.StartAsync(recorder.Observe(generation, cancellationToken), _ => true, cancellationToken);
        var id = "cmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (request.Stream)
        {
            return TypedResults.ServerSentEvents(CompletionChunksAsync(updates, recorder, id, created, services, request.StreamOptions?.IncludeUsage ?? false));
        }
        var response = await updates.ToChatResponseAsync(cancellationToken);
        return TypedResults.Ok(new CompletionResponse(id, created, services.Models.LlmId,
            [new CompletionChoiceDto(response.Text, 0, null, FinishReason(recorder.FinishReason))], Usage(recorder)));
    }

    public static async Task<Results<Ok<EmbeddingResponse>, ProblemHttpResult>> EmbeddingsAsync(
        EmbeddingRequest request, [AsParameters] OpenAiServices services,
        [FromKeyedServices(RetrievalServiceKeys.EmbeddingTokenizer)] Tokenizer tokenizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var models = services.Models;
        if (!models.Serves(request.Model, ModelKind.Embedding))
        {
            return Problems.ModelNotFound(request.Model!);
        }
        var limits = services.Options.Value;
        if (OpenAiRequestReader.ReadInputs(request.Input, limits.MaxEmbeddingInputs, out var inputs) is { } error)
        {
            return Problems.BadRequest(error);
        }
        if (TokensOver(inputs, tokenizer, limits.MaxEmbeddingTokens))
        {
            return TypedResults.Problem(
                $"The inputs hold more than {limits.MaxEmbeddingTokens} tokens together, the most one request may embed (Api:MaxEmbeddingTokens); send them in smaller requests.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many tokens");
        }
        if (request.Dimensions is { } dimensions && dimensions != models.EmbeddingDimensions)
        {
            return Problems.BadRequest($"'dimensions' {dimensions} is not supported: model '{models.EmbeddingId}' produces {models.EmbeddingDimensions}-dimension vectors.");
        }
        var embeddings = await services.Embedder.Generator.GenerateAsync(inputs, cancellationToken: cancellationToken);
        var base64 = request.EncodingFormat == "base64";
        var data = embeddings.Select((e, i) => new EmbeddingDataDto(i, base64 ? ToBase64(e.Vector.Span) : e.Vector.ToArray())).ToList();
        var tokens = (int)(embeddings.Usage?.InputTokenCount ?? 0);
        return TypedResults.Ok(new EmbeddingResponse(data, models.EmbeddingId, new EmbeddingUsageDto(tokens, tokens)));
    }

    // Counting stops at the limit, within an input too: an oversized request costs no more than the limit's worth of
    // tokenizing, however long its one input.
    private static bool TokensOver(List<string> inputs, Tokenizer tokenizer, int limit)
    {
        var total = 0;
        foreach (var input in inputs)
        {
            tokenizer.GetIndexByTokenCount(input, limit - total + 1, out _, out var counted);
            total += counted;
            if (total > limit)
            {
                return true;
            }
        }
        return false;
    }

    private static async IAsyncEnumerable<string> ChatChunksAsync(
        PrimedSequence<ChatResponseUpdate> updates, GenerationRecorder recorder, string id, long created, OpenAiServices services, bool includeUsage,
        Grounding? grounding, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var json = services.Json.Value.SerializerOptions;
        var model = services.Models.LlmId;
        string Chunk(ChatDeltaDto delta, string? finishReason) =>
            JsonSerializer.Serialize(new ChatCompletionChunk(id, created, model, [new ChatChunkChoiceDto(0, delta, finishReason)], null), json);

        // The sources were read before the response started (a grounded stream is primed up to them).
        yield return JsonSerializer.Serialize(
            new ChatCompletionChunk(id, created, model, [new ChatChunkChoiceDto(0, new ChatDeltaDto("assistant", ""), null)], null) { Sources = grounding?.Sources }, json);
        await using (var enumerator = updates.GetAsyncEnumerator(cancellationToken))
        {
            for (;;)
            {
                var (moved, error) = await StreamFailure.TryMoveNextAsync(enumerator, cancellationToken);
                if (error is not null)
                {
                    var (status, title, detail) = StreamFailure.Describe(error, logger, "a chat stream");
                    yield return JsonSerializer.Serialize(new StreamErrorChunk(new StreamErrorDto(detail, title, status)), json);
                    yield return "[DONE]";
                    yield break;
                }
                if (!moved)
                {
                    break;
                }
                if (!string.IsNullOrEmpty(enumerator.Current.Text))
                {
                    yield return Chunk(new ChatDeltaDto(null, enumerator.Current.Text), null);
                }
            }
        }
        // The citations are known once the answer is complete.
        yield return JsonSerializer.Serialize(
            new ChatCompletionChunk(id, created, model, [new ChatChunkChoiceDto(0, new ChatDeltaDto(null, null), FinishReason(recorder.FinishReason))], null)
            {
                Citations = grounding?.Citations,
            }, json);
        if (includeUsage)
        {
            yield return JsonSerializer.Serialize(new ChatCompletionChunk(id, created, model, [], Usage(recorder)), json);
        }
        yield return "[DONE]";
    }

    private static async IAsyncEnumerable<string> CompletionChunksAsync(
        IAsyncEnumerable<ChatResponseUpdate> updates, GenerationRecorder recorder, string id, long created, OpenAiServices services, bool includeUsage)
    {
        var json = services.Json.Value.SerializerOptions;
        var model = services.Models.LlmId;
        await foreach (var update in updates)
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                yield return JsonSerializer.Serialize(new CompletionResponse(id, created, model, [new CompletionChoiceDto(update.Text, 0, null, null)], null), json);
            }
        }
        yield return JsonSerializer.Serialize(new CompletionResponse(id, created, model, [new CompletionChoiceDto("", 0, null, FinishReason(recorder.FinishReason))],
            includeUsage ? Usage(recorder) : null), json);
        yield return "[DONE]";
    }

    private static ChatOptions ToChatOptions(GenerationRequest request, OpenAiServices services, IList<string>? stop, int? maxTokens)
    {
        var options = new ChatOptions
        {
            ModelId = services.Models.LlmId,
            Temperature = request.Temperature,
            TopP = request.TopP,
            MaxOutputTokens = maxTokens,
            StopSequences = stop,
            Seed = request.Seed,
            PresencePenalty = request.PresencePenalty,
            FrequencyPenalty = request.FrequencyPenalty,
        };
        if (request.RepetitionPenalty is { } repetition)
        {
            (options.AdditionalProperties ??= [])[ChatOptionsMapping.RepetitionPenalty] = repetition;
        }
        if (request.MinP is { } minP)
        {
            (options.AdditionalProperties ??= [])[ChatOptionsMapping.MinP] = minP;
        }
        return options;
    }

    internal static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length" : "stop";

    internal static UsageDto Usage(GenerationRecorder recorder)
    {
        var prompt = (int)(recorder.Usage?.InputTokenCount ?? 0);
        var completion = recorder.OutputTokens;
        return new UsageDto(prompt, completion, prompt + completion);
    }

    private static string ToBase64(ReadOnlySpan<float> vector) => Convert.ToBase64String(MemoryMarshal.AsBytes(vector));
}
