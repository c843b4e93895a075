using System.Net;
using System.Net.Http.Json;
using Rag.Api.Tests.Infrastructure;
using Rag.ModelForge;
using Rag.ModelForge.Decoder;
using Rag.TestSupport;

namespace Rag.Api.Tests.Operations;

/// <summary>
/// A whole-request limit of one second, one generation slot and no queue, and a SmolLM2-135M-shaped decoder with a tied
/// head, so it never ends its turn: at tens of milliseconds a token, the 4,000 tokens asked for below take minutes, well
/// past the limit (the demo decoder's shape is small enough for the batched engine to write 4,000 tokens in under a second).
/// </summary>
public sealed class OneSecondTimeoutServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Api:RequestTimeoutSeconds"] = "1";
        settings["Llm:ModelPath"] = ForgedModels.Decoder(new DecoderOptions("smollm2-135m", TieWordEmbeddings: true, WordBias: false));
        settings["Llm:MaxConcurrentRequests"] = "1";
        settings["Llm:MaxQueuedRequests"] = "0";
    }
}

public sealed class RequestTimeoutTests(OneSecondTimeoutServer server) : IClassFixture<OneSecondTimeoutServer>
{
    [Fact]
    public async Task A_generation_running_past_the_time_limit_is_504_and_frees_its_slot()
    {
        using var tooLong = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Tell me everything about the library." } },
            max_tokens = 4000,
        });
        var problem = await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.GatewayTimeout);
        Assert.Contains("Api:RequestTimeoutSeconds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The only slot went back with the cancelled generation: a short request is served, not turned away with 429.
        using var next = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Hello" } },
            max_tokens = 2,
        });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
