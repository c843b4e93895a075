using Rag.Llm.Chat;
using static Rag.Llm.Tests.Chat.ChatTemplateTestData;

namespace Rag.Llm.Tests.Chat;

/// <summary>
/// Each published template rendered for system + user + assistant + user, compared byte for byte with the text
/// worked out by reading the template.
/// </summary>
public sealed class PublishedTemplateTests
{
    // Qwen2.5 and SmolLM2 are both ChatML: for the shared conversation they must render exactly this.
    private static string ChatMl(bool addGenerationPrompt) =>
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        + "<|im_start|>user\nHello!<|im_end|>\n"
        + "<|im_start|>assistant\nHi there! <|im_end|>\n"
        + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
        + (addGenerationPrompt ? "<|im_start|>assistant\n" : "");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Qwen25_renders_chatml_with_the_system_turn_first(bool addGenerationPrompt)
    {
        var template = Load(PublishedTemplates.Qwen25, "", "<|im_end|>");
        Assert.Equal(ChatMl(addGenerationPrompt), template.Render(Conversation, addGenerationPrompt));
    }

    [Fact]
    public void Qwen25_without_a_system_message_uses_its_default_one()
    {
        var template = Load(PublishedTemplates.Qwen25, "", "<|im_end|>");
        var expected = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHello!<|im_end|>\n";
        Assert.Equal(expected, template.Render([Message("user", "Hello!")], addGenerationPrompt: false));
    }

    [Fact]
    public void Qwen25_renders_tools_tool_calls_and_tool_responses()
    {
        var template = Load(PublishedTemplates.Qwen25, "", "<|im_end|>");
        var tool = Tool("get_time", "Current time", StringProperties());
        var call = new Dictionary<string, object?>
        {
            ["type"] = "function",
            ["function"] = new Dictionary<string, object?> { ["name"] = "get_time", ["arguments"] = new Dictionary<string, object?> { ["zone"] = "UTC" } },
        };
        IReadOnlyList<IReadOnlyDictionary<string, object?>> messages =
        [
            Message("system", "You are a helpful assistant."),
            Message("user", "What time is it?"),
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = new List<object?> { call } },
            Message("tool", "12:00"),
        ];
        var expected = "<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            + "{\"type\": \"function\", \"function\": {\"name\": \"get_time\", \"description\": \"Current time\", \"parameters\": {\"type\": \"object\", \"properties\": {}}}}"
            + "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
            + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\nWhat time is it?<|im_end|>\n"
            + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"UTC\"}}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\n12:00\n</tool_response><|im_end|>\n"
            + "<|im_start|>assistant\n";
        var variables = new Dictionary<string, object?> { ["tools"] = new List<object?> { tool } };
        Assert.Equal(expected, template.Render(messages, addGenerationPrompt: true, variables));
    }

    [Fact]
    public void Qwen25_lists_microsoft_extensions_ai_functions_as_tools()
    {
        var template = Load(PublishedTemplates.Qwen25, "", "<|im_end|>");
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type": "object", "properties": {}}""");
        var tool = Microsoft.Extensions.AI.AIFunctionFactory.CreateDeclaration("get_time", "Current time", schema.RootElement.Clone());
        var rendered = template.Render([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "Time?")], addGenerationPrompt: true, [tool]);
        Assert.Contains(
            "<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_time\", \"description\": \"Current time\", \"parameters\": {\"type\": \"object\", \"properties\": {}}}}\n</tools>",
            rendered,
            StringComparison.Ordinal);
        Assert.StartsWith("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n# Tools", rendered, StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>user\nTime?<|im_end|>\n<|im_start|>assistant\n", rendered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Llama3_puts_bos_before_the_first_header_and_trims_content(bool addGenerationPrompt)
    {
        var template = Load(PublishedTemplates.Llama3, "<|begin_of_text|>", "<|eot_id|>");
        var expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHi there!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
            + (addGenerationPrompt ? "<|start_header_id|>assistant<|end_header_id|>\n\n" : "");
        Assert.Equal(expected, template.Render(Conversation, addGenerationPrompt));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Llama32_prints_today_from_the_injected_clock(bool addGenerationPrompt)
    {
        var clock = new FixedClock(new DateTimeOffset(2024, 9, 3, 10, 0, 0, TimeSpan.Zero));
        var template = Load(PublishedTemplates.Llama32, "<|begin_of_text|>", "<|eot_id|>", clock);
        var expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "Cutting Knowledge Date: December 2023\nToday Date: 03 Sep 2024\n\n"
            + Llama3Turns(addGenerationPrompt);
        Assert.Equal(expected, template.Render(Conversation, addGenerationPrompt));
    }

    [Fact]
    public void Llama32_uses_a_date_string_given_by_the_caller()
    {
        var template = Load(PublishedTemplates.Llama32, "<|begin_of_text|>", "<|eot_id|>");
        var rendered = template.Render([Message("user", "Hi")], addGenerationPrompt: false, new Dictionary<string, object?> { ["date_string"] = "26 Jul 2024" });
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
            rendered);
    }

    [Theory]
    [InlineData(true, "<|assistant|>\n")]
    [InlineData(false, "<|endoftext|>")]
    public void Phi3_ends_with_the_assistant_tag_or_eos(bool addGenerationPrompt, string ending)
    {
        var template = Load(PublishedTemplates.Phi3, "<s>", "<|endoftext|>");
        var expected = "<|system|>\nYou are a helpful assistant.<|end|>\n"
            + "<|user|>\nHello!<|end|>\n"
            + "<|assistant|>\nHi there! <|end|>\n"
            + "<|user|>\nWhat is 2+2?<|end|>\n"
            + ending;
        Assert.Equal(expected, template.Render(Conversation, addGenerationPrompt));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Mistral03_folds_the_system_message_into_the_last_user_turn(bool addGenerationPrompt)
    {
        var template = Load(PublishedTemplates.Mistral03, "<s>", "</s>");
        const string expected = "<s>[INST] Hello![/INST] Hi there!</s>[INST] You are a helpful assistant.\n\nWhat is 2+2?[/INST]";
        Assert.Equal(expected, template.Render(Conversation, addGenerationPrompt));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gemma_renders_turns_with_model_for_the_assistant(bool addGenerationPrompt)
    {
        var template = Load(PublishedTemplates.Gemma, "<bos>", "<eos>");
        var expected = "<bos><start_of_turn>user\nHello!<end_of_turn>\n"
            + "<start_of_turn>model\nHi there!<end_of_turn>\n"
            + "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n"
            + (addGenerationPrompt ? "<start_of_turn>model\n" : "");
        Assert.Equal(expected, template.Render(WithoutSystem, addGenerationPrompt));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SmolLM2_keeps_a_given_system_message(bool addGenerationPrompt)
    {
        var template = Load(PublishedTemplates.SmolLM2, "<|im_start|>", "<|im_end|>");
        Assert.Equal(ChatMl(addGenerationPrompt), template.Render(Conversation, addGenerationPrompt));
    }

    [Fact]
    public void SmolLM2_without_a_system_message_inserts_its_default()
    {
        var template = Load(PublishedTemplates.SmolLM2, "<|im_start|>", "<|im_end|>");
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
            template.Render([Message("user", "Hello!")], addGenerationPrompt: true));
    }

    [Fact]
    public void Gemma_rejects_a_system_role()
    {
        var template = Load(PublishedTemplates.Gemma, "<bos>", "<eos>");
        var error = Assert.Throws<ChatTemplateException>(() => template.Render(Conversation, addGenerationPrompt: true));
        Assert.Equal("System role not supported", error.Message);
    }

    [Fact]
    public void Gemma_rejects_roles_that_do_not_alternate()
    {
        var template = Load(PublishedTemplates.Gemma, "<bos>", "<eos>");
        var error = Assert.Throws<ChatTemplateException>(() => template.Render([Message("user", "a"), Message("user", "b")], addGenerationPrompt: true));
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", error.Message);
    }

    [Fact]
    public void Mistral03_lists_tools_before_the_last_user_turn_and_renders_calls_and_results()
    {
        var template = Load(PublishedTemplates.Mistral03, "<s>", "</s>");
        var tool = Tool("get_weather", "Weather now", StringProperties("city"));
        var call = new Dictionary<string, object?>
        {
            ["id"] = "abc123def",
            ["type"] = "function",
            ["function"] = new Dictionary<string, object?> { ["name"] = "get_weather", ["arguments"] = new Dictionary<string, object?> { ["city"] = "Paris" } },
        };
        IReadOnlyList<IReadOnlyDictionary<string, object?>> messages =
        [
            Message("user", "What's the weather?"),
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = new List<object?> { call } },
            new Dictionary<string, object?> { ["role"] = "tool", ["tool_call_id"] = "abc123def", ["content"] = "20" },
            Message("assistant", "It is 20."),
            Message("user", "thanks"),
        ];
        var expected = "<s>[INST] What's the weather?[/INST]"
            + "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"abc123def\"}]</s>"
            + "[TOOL_RESULTS] {\"content\": 20, \"call_id\": \"abc123def\"}[/TOOL_RESULTS]"
            + " It is 20.</s>"
            + "[AVAILABLE_TOOLS] [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Weather now\", "
            + "\"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}][/AVAILABLE_TOOLS]"
            + "[INST] thanks[/INST]";
        var variables = new Dictionary<string, object?> { ["tools"] = new List<object?> { tool } };
        Assert.Equal(expected, template.Render(messages, addGenerationPrompt: true, variables));
    }

    [Fact]
    public void Mistral03_rejects_roles_that_do_not_alternate()
    {
        var template = Load(PublishedTemplates.Mistral03, "<s>", "</s>");
        var error = Assert.Throws<ChatTemplateException>(() =>
            template.Render([Message("system", "s"), Message("user", "a"), Message("assistant", "b"), Message("assistant", "c")], addGenerationPrompt: true));
        Assert.Equal("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...", error.Message);
    }

    [Fact]
    public void Mistral03_rejects_a_system_message_after_the_first()
    {
        var template = Load(PublishedTemplates.Mistral03, "<s>", "</s>");
        var error = Assert.Throws<ChatTemplateException>(() => template.Render([Message("user", "a"), Message("system", "s")], addGenerationPrompt: true));
        Assert.Equal("Only user and assistant roles are supported, with the exception of an initial optional system message!", error.Message);
    }

    [Fact]
    public void A_model_without_a_template_gets_chatml()
    {
        var template = ChatTemplate.FromConfig(Rag.Tokenizers.TokenizerConfig.Parse("""{"eos_token": "</s>"}"""));
        Assert.Equal(
            "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
            template.Render([Message("user", "Hello!")], addGenerationPrompt: true));
    }
}
