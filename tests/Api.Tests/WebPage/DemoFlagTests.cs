using System.Net.Http.Json;
using System.Text.Json;

namespace Rag.Api.Tests.WebPage;

/// <summary><c>./run.sh</c> pairs the untrained demo decoder with a real embedder: only the decoder is a demo.</summary>
public sealed class DemoFlagTests(DemoApiServer server) : IClassFixture<DemoApiServer>
{
    [Fact]
    public async Task Only_the_llm_is_flagged_as_a_demo_model()
    {
        var models = (await server.Client.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("data").EnumerateArray()
            .ToDictionary(m => m.GetProperty("kind").GetString()!, m => m.GetProperty("demo").GetBoolean());

        Assert.True(models["llm"]);
        Assert.False(models["embedding"]);
    }
}
