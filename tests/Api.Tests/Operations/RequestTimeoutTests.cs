using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Rag.Api.Tests.Infrastructure;
using Rag.Llm.Serving;

namespace Rag.Api.Tests.Operations;

/// <summary>A whole-request limit of one second, one sequence at a time and no queue, on a decoder that never ends its turn.</summary>
public sealed class OneSecondTimeoutServer : SlowDecoderServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Api:RequestTimeoutSeconds"] = "1";
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

        // The cancelled generation leaves the engine at its next step, giving its row back: a short request is then
        // served, not turned away with 429.
        var engine = server.Services.GetRequiredService<LlmModel>().Engine;
        Assert.True(SpinWait.SpinUntil(() => engine.Running == 0 && engine.KvBytesReserved == 0, TimeSpan.FromSeconds(30)));
        using var next = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Hello" } },
            max_tokens = 2,
        });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
