using Rag.Llm.Chat;
using Rag.Tokenizers;

namespace Rag.Llm.Tests.Chat;

/// <summary>The conversation every published template is rendered with, and a way to load a template as a model would.</summary>
internal static class ChatTemplateTestData
{
    // The assistant turn ends in a space so that templates that trim content and templates that do not differ.
    public static readonly IReadOnlyList<IReadOnlyDictionary<string, object?>> Conversation =
    [
        Message("system", "You are a helpful assistant."),
        Message("user", "Hello!"),
        Message("assistant", "Hi there! "),
        Message("user", "What is 2+2?"),
    ];

    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> WithoutSystem => [.. Conversation.Skip(1)];

    /// <summary>The Llama 3.x rendering of <see cref="Conversation"/> after the system turn's date lines.</summary>
    public static string Llama3Turns(bool addGenerationPrompt) =>
        "You are a helpful assistant.<|eot_id|>"
        + "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>"
        + "<|start_header_id|>assistant<|end_header_id|>\n\nHi there!<|eot_id|>"
        + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
        + (addGenerationPrompt ? "<|start_header_id|>assistant<|end_header_id|>\n\n" : "");

    /// <summary>A tool in the OpenAI/transformers shape; <paramref name="description"/> is left out when null.</summary>
    public static Dictionary<string, object?> Tool(string name, string? description, Dictionary<string, object?> parameters)
    {
        var function = new Dictionary<string, object?> { ["name"] = name };
        if (description is not null)
        {
            function["description"] = description;
        }

        function["parameters"] = parameters;
        return new Dictionary<string, object?> { ["type"] = "function", ["function"] = function };
    }

    /// <summary>JSON Schema for an object with the given string properties.</summary>
    public static Dictionary<string, object?> StringProperties(params string[] names) => new()
    {
        ["type"] = "object",
        ["properties"] = names.ToDictionary(n => n, _ => (object?)new Dictionary<string, object?> { ["type"] = "string" }),
    };

    public static Dictionary<string, object?> Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    /// <summary>Loads the template through tokenizer_config.json parsing, exactly as a model folder provides it.</summary>
    public static ChatTemplate Load(string chatTemplateJson, string bos, string eos, TimeProvider? clock = null) =>
        ChatTemplate.FromConfig(
            TokenizerConfig.Parse($$"""{"bos_token": "{{bos}}", "eos_token": "{{eos}}", "chat_template": {{chatTemplateJson}}}"""),
            clock);
}

/// <summary>A clock stopped at one instant, for templates that print today's date.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
