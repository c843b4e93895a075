using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rag.Llm.Tests.Serving;

public class AddLlmTests
{
    private static ServiceProvider Provider(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLlm(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public async Task A_configured_model_folder_serves_the_chat_client()
    {
        using var provider = Provider(new() { ["Llm:ModelPath"] = TinyDecoders.Folder("gqa"), ["Llm:MaxConcurrentRequests"] = "2" });
        var client = provider.GetRequiredService<IChatClient>();

        var response = await client.GetResponseAsync("Say something.", new ChatOptions { MaxOutputTokens = 4 });

        Assert.True(response.Usage!.InputTokenCount > 0);
        Assert.InRange(response.Usage.OutputTokenCount!.Value, 1, 4);
        Assert.Equal(2, provider.GetRequiredService<IOptions<LlmOptions>>().Value.MaxConcurrentRequests);
    }

    [Fact]
    public void The_kv_budget_decides_how_many_sequences_decode_together()
    {
        var c = TinyDecoders.Reference.Config;
        var row = 64L * c.Layers * 2 * c.KvHeads * c.HeadDim * sizeof(float);
        using var provider = Provider(new()
        {
            ["Llm:ModelPath"] = TinyDecoders.Folder("gqa"),
            ["Llm:ContextLength"] = "64",
            ["Llm:KvCacheBytes"] = (row * 5 / 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var engine = provider.GetRequiredService<Rag.Llm.Serving.LlmModel>().Engine;

        Assert.Equal((2, row * 5 / 2), (engine.MaxSequences, engine.KvBytesBudget));
    }

    [Fact]
    public void A_kv_budget_below_one_full_context_sequence_is_a_configuration_error()
    {
        using var provider = Provider(new() { ["Llm:ModelPath"] = TinyDecoders.Folder("gqa"), ["Llm:KvCacheBytes"] = "1000" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("Llm:KvCacheBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "cpu", "ModelPath")]
    [InlineData("/no/such/model", "cpu", "does not exist")]
    [InlineData("", "tpu", "ExecutionProvider")]
    public void Invalid_settings_fail_validation_with_the_setting_named(string? path, string provider, string expected)
    {
        using var services = Provider(new()
        {
            ["Llm:ModelPath"] = path == "" ? TinyDecoders.Folder("optimum") : path,
            ["Llm:ExecutionProvider"] = provider,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_cuda_without_the_provider_fails_with_a_clear_message()
    {
        using var services = Provider(new() { ["Llm:ModelPath"] = TinyDecoders.Folder("optimum"), ["Llm:ExecutionProvider"] = "cuda" });

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains("'cuda'", error.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", error.Message, StringComparison.Ordinal);
    }
}
