using static Rag.Llm.Tests.Chat.ChatTemplateTestData;

namespace Rag.Llm.Tests.Chat;

/// <summary>Llama 3.1's template: fixed date, custom tools in the first user turn, built-in tools through python_tag.</summary>
public sealed class Llama31TemplateTests
{
    private const string Header = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Llama31_renders_the_conversation_with_its_default_date(bool addGenerationPrompt)
    {
        var template = Load(PublishedTemplates.Llama31, "<|begin_of_text|>", "<|eot_id|>");
        var expected = Header + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
            + Llama3Turns(addGenerationPrompt);
        Assert.Equal(expected, template.Render(Conversation, addGenerationPrompt));
    }

    [Fact]
    public void Llama31_puts_custom_tools_as_indented_json_into_the_first_user_turn()
    {
        var template = Load(PublishedTemplates.Llama31, "<|begin_of_text|>", "<|eot_id|>");
        var tool = Tool("get_weather", null, StringProperties("city"));
        var rendered = template.Render(
            [Message("system", "You are a helpful assistant."), Message("user", "Weather in Paris?")],
            addGenerationPrompt: true,
            new Dictionary<string, object?> { ["tools"] = new List<object?> { tool } });
        var expected = Header + "Environment: ipython\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
            + "You are a helpful assistant.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\n"
            + "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n"
            + "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_weather\",\n        \"parameters\": {\n"
            + "            \"type\": \"object\",\n            \"properties\": {\n                \"city\": {\n                    \"type\": \"string\"\n"
            + "                }\n            }\n        }\n    }\n}\n\n"
            + "Weather in Paris?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void Llama31_calls_builtin_tools_with_python_tag_and_ends_with_eom()
    {
        var template = Load(PublishedTemplates.Llama31, "<|begin_of_text|>", "<|eot_id|>");
        var call = new Dictionary<string, object?>
        {
            ["function"] = new Dictionary<string, object?> { ["name"] = "brave_search", ["arguments"] = new Dictionary<string, object?> { ["query"] = "cats" } },
        };
        var rendered = template.Render(
            [Message("user", "Search cats"), new Dictionary<string, object?> { ["role"] = "assistant", ["tool_calls"] = new List<object?> { call } }],
            addGenerationPrompt: false,
            new Dictionary<string, object?> { ["builtin_tools"] = new List<object?> { "brave_search", "code_interpreter" } });
        var expected = Header + "Environment: ipython\nTools: brave_search\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nSearch cats<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n<|python_tag|>brave_search.call(query=\"cats\")<|eom_id|>";
        Assert.Equal(expected, rendered);
    }
}
