using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Search;

namespace Rag.Retrieval.Answering;

/// <summary>
/// Answers a question from a collection: retrieve, build the grounded prompt, stream the LLM's
/// answer, map the [n] it cites back to chunks. With nothing relevant retrieved it abstains
/// without calling the LLM; with passages that cannot fit the window it refuses rather than abstain.
/// </summary>
public sealed class Answerer(
    ChunkSearch search,
    IChatClient chatClient,
    [FromKeyedServices(RetrievalServiceKeys.ChatTokenizer)] Tokenizer chatTokenizer,
    IOptions<RetrievalOptions> options)
{
    public const string NothingFound = "I could not find anything relevant to this question in the documents.";

    /// <inheritdoc cref="AskStreamingAsync"/>
    public async Task<Answer> AskAsync(
        SearchRequest request, IReadOnlyList<ChatMessage>? conversation = null, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        await foreach (var update in AskStreamingAsync(request, conversation, chatOptions, cancellationToken))
        {
            if (update is AnswerCompletedUpdate completed)
            {
                return completed.Answer;
            }
        }
        throw new InvalidOperationException("The answer stream ended without a final record.");
    }

    /// <param name="request">What to retrieve; its <see cref="SearchRequest.Query"/> is the question.</param>
    /// <param name="conversation">
    /// Earlier turns of a chat, oldest first, shown to the LLM as far as the window allows after the sources; the
    /// question alone drives retrieval.
    /// </param>
    /// <param name="chatOptions">
    /// Sampling for the answer (temperature, top-p, seed, stop sequences, maximum tokens); unset fields keep the grounded
    /// defaults: greedy decoding and <see cref="RetrievalOptions.AnswerMaxTokens"/>.
    /// </param>
    public async IAsyncEnumerable<AnswerUpdate> AskStreamingAsync(
        SearchRequest request, IReadOnlyList<ChatMessage>? conversation = null, ChatOptions? chatOptions = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var retrieved = await search.SearchAsync(request, cancellationToken);
        var settings = options.Value;
        var generation = chatOptions?.Clone() ?? new ChatOptions();
        generation.Temperature ??= 0;
        generation.MaxOutputTokens ??= settings.AnswerMaxTokens;
        // A long answer may be asked for, but never at the cost of every source: the prompt keeps at most half the
        // window for it, and the engine ends an answer that reaches the window's end with finish reason "length".
        var answerRoom = Math.Min(generation.MaxOutputTokens.Value, settings.ChatContextTokens / 2);
        var (messages, sources) = AnswerPrompt.Build(request.Query, retrieved.Hits, chatTokenizer, settings.ChatContextTokens, answerRoom, conversation);
        if (sources.Count > 0 && sources.All(s => s.Number is null))
        {
            throw new NoRoomForSourcesException(settings.ChatContextTokens, answerRoom);
        }
        yield return new AnswerSourcesUpdate(sources);

        if (sources.Count == 0)
        {
            var timings = new AnswerTimings(retrieved.EmbedTime.TotalMilliseconds, retrieved.SearchTime.TotalMilliseconds, null, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            yield return new AnswerDeltaUpdate(NothingFound);
            yield return new AnswerCompletedUpdate(new Answer(NothingFound, [], sources, null, timings, Abstained: true));
            yield break;
        }

        var text = new StringBuilder();
        UsageDetails? usage = null;
        ChatFinishReason? finishReason = null;
        var chatStarted = Stopwatch.GetTimestamp();
        long firstToken = 0;
        await foreach (var update in chatClient.GetStreamingResponseAsync(messages, generation, cancellationToken))
        {
            finishReason = update.FinishReason ?? finishReason;
            foreach (var content in update.Contents)
            {
                if (content is UsageContent usageContent)
                {
                    usage = usageContent.Details;
                }
            }
            var delta = update.Text;
            if (string.IsNullOrEmpty(delta))
            {
                continue;
            }
            if (firstToken == 0)
            {
                firstToken = Stopwatch.GetTimestamp();
            }
            text.Append(delta);
            yield return new AnswerDeltaUpdate(delta);
        }
        var finished = Stopwatch.GetTimestamp();

        var answerText = text.ToString();
        var outputTokens = usage?.OutputTokenCount ?? chatTokenizer.CountTokens(answerText);
        var decodeSeconds = firstToken == 0 ? 0 : Stopwatch.GetElapsedTime(firstToken, finished).TotalSeconds;
        var answerTimings = new AnswerTimings(
            retrieved.EmbedTime.TotalMilliseconds,
            retrieved.SearchTime.TotalMilliseconds,
            firstToken == 0 ? null : Stopwatch.GetElapsedTime(chatStarted, firstToken).TotalMilliseconds,
            outputTokens > 1 && decodeSeconds > 0 ? (outputTokens - 1) / decodeSeconds : null,
            Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds);
        var answer = new Answer(answerText, Cite(answerText, sources), sources, usage, answerTimings, Abstained: false) { FinishReason = finishReason };
        yield return new AnswerCompletedUpdate(answer);
    }

    private static List<Citation> Cite(string answer, IReadOnlyList<AnswerSource> sources)
    {
        var citations = new List<Citation>();
        foreach (var number in CitationParser.Parse(answer))
        {
            // A number the prompt never offered is a hallucinated citation; it maps to nothing.
            if (sources.FirstOrDefault(s => s.Number == number)?.Hit is { } hit)
            {
                citations.Add(new Citation(number, hit.ChunkId, hit.DocumentId, hit.DocumentName, hit.Page, hit.StartOffset, hit.EndOffset, hit.SectionPath));
            }
        }
        return citations;
    }
}
