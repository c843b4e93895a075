using System.Net;
using System.Net.Http.Json;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Operations;

/// <summary>One generation at a time and no queue: a second concurrent request is turned away.</summary>
public sealed class SingleSlotServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Llm:MaxConcurrentRequests"] = "1";
        settings["Llm:MaxQueuedRequests"] = "0";
        settings["Api:RetryAfterSeconds"] = "3";
    }
}

public sealed class GenerationQueueTests(SingleSlotServer server) : IClassFixture<SingleSlotServer>
{
    [Fact]
    public async Task A_full_generation_queue_answers_429_with_retry_after_and_the_rest_succeed()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Tell me a long story about the library." } },
            max_tokens = 150,
            temperature = 1.0,
            seed = 7,
        })));
        try
        {
            var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(refused);
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            foreach (var response in refused)
            {
                Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests);
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}
