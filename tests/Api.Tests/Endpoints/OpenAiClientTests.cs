using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Endpoints;

/// <summary>The official OpenAI .NET client, pointed at the running service, works unchanged.</summary>
public sealed class OpenAiClientTests(ApiServer server) : IClassFixture<ApiServer>
{
    private OpenAIClient OpenAi => new(new ApiKeyCredential("not-needed"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });

    private async Task<string> LlmIdAsync() => await ModelIdAsync("llm");

    [Fact]
    public async Task Chat_completion_round_trips_through_the_OpenAI_client()
    {
        var chat = OpenAi.GetChatClient(await LlmIdAsync());
        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("You answer briefly."), new UserChatMessage("Tell me about cats.")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 16 });
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 16);
        Assert.True(completion.Usage.InputTokenCount > 5);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_chat_through_the_OpenAI_client_yields_the_same_greedy_text()
    {
        var chat = OpenAi.GetChatClient(await LlmIdAsync());
        ChatMessage[] messages = [new UserChatMessage("What is the weather like today?")];
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 24 };
        ChatCompletion whole = await chat.CompleteChatAsync(messages, options);

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
            finish ??= update.FinishReason;
        }
        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(whole.FinishReason, finish);
    }

    [Fact]
    public async Task Frequency_and_repetition_penalties_change_greedy_text()
    {
        var chat = OpenAi.GetChatClient(await LlmIdAsync());
        ChatMessage[] messages = [new UserChatMessage("Tell me a long story about the library.")];
        async Task<string> GreedyAsync(ChatCompletionOptions options)
        {
            options.Temperature = 0;
            options.MaxOutputTokenCount = 24;
            ChatCompletion completion = await chat.CompleteChatAsync(messages, options);
            return completion.Content[0].Text;
        }

        var plain = await GreedyAsync(new ChatCompletionOptions());
        var frequency = await GreedyAsync(new ChatCompletionOptions { FrequencyPenalty = 2f });
        using var repetition = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Tell me a long story about the library." } },
            temperature = 0,
            max_tokens = 24,
            repetition_penalty = 5.0,
        });
        var repeated = (await repetition.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

        // The untrained model repeats one token when greedy; penalties that grow with the repeats push it off that token
        // (a presence penalty, subtracted once, is smaller than that token's lead).
        Assert.NotEqual(plain, frequency);
        Assert.Equal(HttpStatusCode.OK, repetition.StatusCode);
        Assert.NotEqual(plain, repeated);
        Assert.Equal(plain, await GreedyAsync(new ChatCompletionOptions()));
    }

    [Theory]
    [InlineData("frequency_penalty", 2.5)]
    [InlineData("presence_penalty", -3.0)]
    [InlineData("repetition_penalty", 0.0)]
    [InlineData("min_p", 1.5)]
    public async Task A_sampling_field_out_of_range_is_400_naming_it(string field, double value)
    {
        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", new Dictionary<string, object>
        {
            ["messages"] = new[] { new { role = "user", content = "hi" } },
            [field] = value,
        });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field.Replace("_", "", StringComparison.Ordinal), problem.GetRawText().Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Text_completion_round_trips_through_the_OpenAI_client_pipeline()
    {
        // The SDK keeps its legacy completions client internal; its pipeline (auth, transport, errors) carries the call.
        var pipeline = OpenAi.Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.BaseAddress, "/v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = await LlmIdAsync(),
            prompt = "The library opens at nine",
            max_tokens = 12,
            temperature = 0,
        }));
        await pipeline.SendAsync(message);
        Assert.Equal(200, message.Response!.Status);
        var completion = JsonDocument.Parse(message.Response.Content.ToString()).RootElement;
        Assert.Equal("text_completion", completion.GetProperty("object").GetString());
        var choice = completion.GetProperty("choices")[0];
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("text").GetString()));
        Assert.InRange(completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 12);
    }

    [Fact]
    public async Task Embeddings_through_the_OpenAI_client_are_unit_vectors_of_the_model_dimension()
    {
        var id = await ModelIdAsync("embedding");
        var models = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        var dimensions = models.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id).GetProperty("dimensions").GetInt32();

        // The SDK asks for base64 by default; compare with the float encoding of the same input.
        var client = OpenAi.GetEmbeddingClient(id);
        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["cats sleep on a warm mat", "the weather is cold"]);
        Assert.Equal(2, embeddings.Count);
        var vector = embeddings[0].ToFloats().ToArray();
        Assert.Equal(dimensions, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);

        using var floats = await server.Client.PostAsJsonAsync("/v1/embeddings", new { model = id, input = "cats sleep on a warm mat", encoding_format = "float" });
        var asFloats = (await floats.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle());
        Assert.Equal(vector, asFloats);
    }

    [Fact]
    public async Task A_model_that_is_not_loaded_is_404_for_the_OpenAI_client()
    {
        var chat = OpenAi.GetChatClient("gpt-4o");
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, error.Status);
        using var response = await server.Client.PostAsJsonAsync("/v1/embeddings", new { model = "text-embedding-3-small", input = "x" });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Chat_with_a_collection_answers_from_its_passages()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded");
        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Where does the cat like to sit?" } },
            collection = "openai-grounded",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal("cats.txt", body.GetProperty("sources")[0].GetProperty("document_name").GetString());
        // The untrained model cites nothing reliably; the field is there for the answers that do.
        Assert.Equal(JsonValueKind.Array, body.GetProperty("citations").ValueKind);
    }

    [Fact]
    public async Task Streaming_chat_with_a_collection_carries_the_sources_in_its_first_chunk()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                messages = new[] { new { role = "user", content = "Where does the cat like to sit?" } },
                collection = "openai-grounded-stream",
                stream = true,
            }),
        };

        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var chunks = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            chunks.Add(e);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = chunks[0].Json;
        Assert.Equal("cats.txt", first.GetProperty("sources")[0].GetProperty("document_name").GetString());
        Assert.Equal(1, first.GetProperty("sources")[0].GetProperty("n").GetInt32());
        Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.False(c.Json.TryGetProperty("sources", out _)));
        Assert.Equal("[DONE]", chunks[^1].Data);
        var finish = chunks[^2].Json;
        Assert.False(string.IsNullOrEmpty(finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString()));
        Assert.Equal(JsonValueKind.Array, finish.GetProperty("citations").ValueKind);
    }

    [Fact]
    public async Task Chat_with_a_collection_stops_at_the_requested_max_tokens()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded-length");

        var unbounded = await GroundedChatAsync("openai-grounded-length", new() { ["temperature"] = 0 });
        var bounded = await GroundedChatAsync("openai-grounded-length", new() { ["temperature"] = 0, ["max_tokens"] = 3 });

        Assert.True(unbounded.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 3);
        Assert.Equal(3, bounded.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", bounded.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        // Greedy either way: the bounded answer is where the unbounded one starts.
        Assert.StartsWith(Content(bounded), Content(unbounded), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_with_a_collection_answers_the_last_question_within_the_conversation()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded-turns");

        // The test model's window is 256 tokens: a short answer and short turns leave room for them beside a source.
        var alone = await GroundedChatAsync("openai-grounded-turns", new() { ["max_tokens"] = 2 });
        var followUp = await GroundedChatAsync("openai-grounded-turns", new()
        {
            ["max_tokens"] = 2,
            ["earlier"] = new[]
            {
                new { role = "user", content = "Soup?" },
                new { role = "assistant", content = "Onions [1]." },
            },
        });

        // The question still drives retrieval; the earlier turns reach the model as part of its prompt.
        Assert.Equal("cats.txt", followUp.GetProperty("sources")[0].GetProperty("document_name").GetString());
        Assert.True(
            followUp.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > alone.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() + 4,
            "the earlier turns should be in the prompt");
    }

    [Fact]
    public async Task Chat_with_a_collection_refuses_a_question_over_the_limit_as_ask_does()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded-long");

        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = new string('a', 501) } },
            collection = "openai-grounded-long",
        });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Api:MaxQuestionLength", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_with_a_collection_whose_instructions_fill_the_window_is_400_not_an_abstention()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded-full");

        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[]
            {
                new { role = "system", content = string.Join(' ', Enumerable.Repeat("Always answer politely and briefly.", 60)) },
                new { role = "user", content = "Where does the cat like to sit?" },
            },
            collection = "openai-grounded-full",
        });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("no room", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_with_a_collection_and_an_unreachable_min_score_abstains()
    {
        await Corpus.SeedAsync(server.Client, "openai-grounded-threshold");

        var body = await GroundedChatAsync("openai-grounded-threshold", new() { ["min_score"] = 1.0 });

        Assert.Equal(Rag.Retrieval.Answering.Answerer.NothingFound, Content(body));
        Assert.Equal(0, body.GetProperty("sources").GetArrayLength());
    }

    private async Task<JsonElement> GroundedChatAsync(string collection, Dictionary<string, object> fields)
    {
        var question = new { role = "user", content = "Where does the cat like to sit?" };
        fields["messages"] = fields.Remove("earlier", out var earlier) ? [.. (IEnumerable<object>)earlier, question] : new object[] { question };
        fields["collection"] = collection;
        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static string Content(JsonElement completion) =>
        completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

    private async Task<string> ModelIdAsync(string kind)
    {
        var models = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        return models.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == kind).GetProperty("id").GetString()!;
    }
}
