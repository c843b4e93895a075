using Microsoft.Extensions.AI;
using Rag.Api.Endpoints.OpenAi;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Search;

namespace Rag.Api.Tests.Endpoints;

/// <summary>
/// How an answer's records become chat output. The untrained test model cites nothing reliably, so the mapping of
/// citations is checked here on a stated answer; the endpoint around it is tested through the server.
/// </summary>
public class GroundedChatTests
{
    private static async IAsyncEnumerable<AnswerUpdate> Updates(params AnswerUpdate[] updates)
    {
        foreach (var update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }

    [Fact]
    public async Task Sources_and_citations_of_the_answer_are_kept_and_its_text_and_finish_reason_stream_as_chat()
    {
        var hit = new SearchHit(7, Guid.NewGuid(), "cats.txt", 0, "Cats sit on mats.", 0.9, 0.9, [], null, 0, 17, new Dictionary<string, string>());
        var citation = new Citation(1, hit.ChunkId, hit.DocumentId, hit.DocumentName, null, 0, 17, []);
        var answer = new Answer("On mats [1].", [citation], [new AnswerSource(1, hit), new AnswerSource(null, hit)], null,
            new AnswerTimings(1, 1, 1, null, 3), Abstained: false) { FinishReason = ChatFinishReason.Length };
        var grounding = new Grounding();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GroundedChat.AsChatAsync(
            Updates(new AnswerSourcesUpdate(answer.Sources), new AnswerDeltaUpdate("On mats [1]."), new AnswerCompletedUpdate(answer)), grounding))
        {
            updates.Add(update);
        }

        Assert.Equal(1, Assert.Single(grounding.Sources).N);
        Assert.Equal([citation], grounding.Citations);
        Assert.Equal("On mats [1].", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
    }
}
