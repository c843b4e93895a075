using Microsoft.Extensions.AI;
using Rag.Llm.Chat;
using Rag.Llm.Generation;
using Rag.Llm.Serving;

namespace Rag.Llm.Tests.Serving;

public sealed class OnnxChatClientTests : IDisposable
{
    private readonly TestModel _model = new("optimum");
    private readonly ChatTemplate _renderer;

    public OnnxChatClientTests()
    {
        _renderer = ChatTemplate.FromConfig(_model.Tokenizer.Config);
    }

    private OnnxChatClient Client(SamplingOptions? defaults = null) =>
        new(_model.Generator(), _model.Tokenizer, _renderer, defaults ?? SamplingOptions.Greedy, "tiny-llama");

    private static List<ChatMessage> Conversation() =>
        [new(ChatRole.System, "You answer briefly."), new(ChatRole.User, "What is a fox?")];

    [Fact]
    public async Task Non_streaming_and_streaming_give_the_same_text_and_usage()
    {
        using var client = Client();
        var options = new ChatOptions { MaxOutputTokens = 12, Temperature = 0 };

        var response = await client.GetResponseAsync(Conversation(), options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation(), options))
        {
            updates.Add(update);
        }
        var streamed = updates.ToChatResponse();

        var promptTokens = _model.Tokenizer.Encode(_renderer.Render(Conversation(), true), addSpecialTokens: false).Length;
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(response.Text, streamed.Text);
        Assert.Equal((promptTokens, 12, promptTokens + 12), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal(response.Usage.OutputTokenCount, streamed.Usage!.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(ChatFinishReason.Length, streamed.FinishReason);
        Assert.Equal("tiny-llama", response.ModelId);
    }

    [Fact]
    public async Task Greedy_chat_equals_the_reference_continuation_of_the_rendered_prompt()
    {
        using var client = Client();
        var prompt = _model.Tokenizer.Encode(_renderer.Render(Conversation(), true), addSpecialTokens: false);
        var expected = TinyDecoders.Reference.Greedy([.. prompt.Select(t => (long)t)], 10);

        var response = await client.GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 10 });

        Assert.Equal(_model.Tokenizer.Decode([.. expected.Select(t => (int)t)]), response.Text);
    }

    [Fact]
    public async Task Seed_and_stop_sequences_pass_through_to_the_generator()
    {
        using var client = Client();
        var sampled = new ChatOptions { MaxOutputTokens = 20, Temperature = 1f, Seed = 42 };

        var first = await client.GetResponseAsync(Conversation(), sampled);
        var again = await client.GetResponseAsync(Conversation(), sampled);
        var stop = first.Text.Substring(first.Text.Length / 2, 2);
        var stopped = await client.GetResponseAsync(Conversation(), new ChatOptions
        {
            MaxOutputTokens = 20, Temperature = 1f, Seed = 42, StopSequences = [stop],
        });

        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Text[..first.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public void Metadata_names_the_provider_and_model()
    {
        using var client = Client();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal(("onnxruntime", "tiny-llama"), (metadata!.ProviderName, metadata.DefaultModelId));
        Assert.Same(client, client.GetService<OnnxChatClient>());
    }

    public void Dispose() => _model.Dispose();
}
