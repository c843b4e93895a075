using System.Text.Json;
using Microsoft.Extensions.AI;
using Rag.Llm.Chat.Runtime;
using Rag.Llm.Chat.Syntax;
using Rag.Tokenizers;

namespace Rag.Llm.Chat;

/// <summary>
/// A model's chat template (the Jinja in tokenizer_config.json), parsed once and rendered per request the way
/// transformers' apply_chat_template does: trim_blocks and lstrip_blocks on, <c>messages</c>, <c>add_generation_prompt</c>,
/// <c>bos_token</c>/<c>eos_token</c>, <c>raise_exception</c>, <c>strftime_now</c> (from the injected clock), and any
/// extra variables (such as <c>tools</c>).
/// </summary>
/// <remarks>
/// Thread-safe: rendering keeps no state in the instance. Every string the caller passes in (message content, roles,
/// tool definitions) goes through the tokenizer's <see cref="SpecialTokenFence"/>, so only the markers the template
/// itself writes become control tokens when the prompt is encoded.
/// </remarks>
public sealed class ChatTemplate
{
    /// <summary>transformers' ChatML default, used when a model ships no template.</summary>
    public const string ChatMlSource =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private readonly IReadOnlyList<Node> _template;
    private readonly string? _bosToken;
    private readonly string? _eosToken;
    private readonly TimeProvider _clock;
    private readonly SpecialTokenFence _fence;

    /// <param name="fence">Fences the caller's text against the tokenizer's special tokens; none fences nothing.</param>
    public ChatTemplate(string source, string? bosToken = null, string? eosToken = null, TimeProvider? clock = null, SpecialTokenFence? fence = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        _template = TemplateParser.Parse(source);
        _bosToken = bosToken;
        _eosToken = eosToken;
        _clock = clock ?? TimeProvider.System;
        _fence = fence ?? SpecialTokenFence.None;
    }

    public string Source { get; }

    /// <summary>The named template from tokenizer_config.json ("default" unless asked), or ChatML when there is none.</summary>
    public static ChatTemplate FromConfig(TokenizerConfig config, TimeProvider? clock = null, string name = "default")
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ChatTemplate(config.ChatTemplate(name) ?? ChatMlSource, config.BosToken, config.EosToken, clock, new SpecialTokenFence(config.AddedTokens));
    }

    /// <summary>Renders Microsoft.Extensions.AI messages (text, tool calls and tool results).</summary>
    public string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Render([.. messages.Select(ToTemplateMessage)], addGenerationPrompt, variables);
    }

    /// <summary>
    /// Renders Microsoft.Extensions.AI messages with the functions a caller offers, passed to the template as
    /// <c>tools</c> in the OpenAI/transformers shape (<c>{"type": "function", "function": {name, description, parameters}}</c>).
    /// </summary>
    public string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrompt, IEnumerable<AITool>? tools)
    {
        var declarations = tools?.OfType<AIFunctionDeclaration>().ToList();
        if (declarations is null || declarations.Count == 0)
        {
            return Render(messages, addGenerationPrompt);
        }

        return Render(messages, addGenerationPrompt, new Dictionary<string, object?> { ["tools"] = declarations.Select(ToolDefinition).ToList() });
    }

    /// <summary>Renders messages given as dictionaries (role, content, and whatever else the template reads).</summary>
    public string Render(IReadOnlyList<IReadOnlyDictionary<string, object?>> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var globals = new Scope(null);
        globals.Set("raise_exception", new TemplateFunction((args, _) =>
            throw new ChatTemplateException(args.Count > 0 ? Values.Str(args[0]) : "raise_exception called by the chat template.")));
        globals.Set("strftime_now", new TemplateFunction((args, _) => PythonTime.Format(_clock.GetLocalNow(), Values.Str(args[0]))));
        globals.Set("namespace", new TemplateFunction((_, keywords) => Fill(new Namespace(), keywords)));
        globals.Set("dict", new TemplateFunction((_, keywords) => Fill(new Dictionary<string, object?>(StringComparer.Ordinal), keywords)));
        globals.Set("range", new TemplateFunction((args, _) => Range(args)));
        globals.Set("bos_token", _bosToken ?? string.Empty);
        globals.Set("eos_token", _eosToken ?? string.Empty);
        globals.Set("add_generation_prompt", addGenerationPrompt);
        globals.Set("messages", Fenced(TemplateValues.From(messages)));
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            globals.Set(name, Fenced(TemplateValues.From(value)));
        }

        return Interpreter.Render(_template, globals);
    }

    /// <summary>The caller's values with every string fenced (template values are strings, lists, mappings and scalars).</summary>
    private object? Fenced(object? value) => value switch
    {
        string text => _fence.Fence(text),
        Dictionary<string, object?> mapping => mapping.ToDictionary(p => p.Key, p => Fenced(p.Value), StringComparer.Ordinal),
        List<object?> items => items.ConvertAll(Fenced),
        _ => value,
    };

    private static T Fill<T>(T target, IReadOnlyDictionary<string, object?> values) where T : IDictionary<string, object?>
    {
        foreach (var (key, value) in values)
        {
            target[key] = value;
        }

        return target;
    }

    private static List<object?> Range(IReadOnlyList<object?> args)
    {
        var (start, stop) = args.Count == 1 ? (0L, Values.ToLong(args[0])) : (Values.ToLong(args[0]), Values.ToLong(args[1]));
        var step = args.Count > 2 ? Values.ToLong(args[2]) : 1L;
        var items = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            items.Add(i);
        }

        return items;
    }

    private static Dictionary<string, object?> ToolDefinition(AIFunctionDeclaration function) => new(StringComparer.Ordinal)
    {
        ["type"] = "function",
        ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = function.Name,
            ["description"] = function.Description,
            ["parameters"] = TemplateValues.From(function.JsonSchema),
        },
    };

    private static Dictionary<string, object?> ToTemplateMessage(ChatMessage message)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["role"] = message.Role.Value,
            ["content"] = message.Text,
        };
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (calls.Count > 0)
        {
            result["tool_calls"] = calls.Select(call => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = call.CallId,
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = call.Name,
                    ["arguments"] = TemplateValues.From(call.Arguments?.ToDictionary(p => p.Key, p => p.Value)),
                },
            }).ToList();
        }

        if (message.Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } toolResult)
        {
            result["tool_call_id"] = toolResult.CallId;
            result["content"] = toolResult.Result switch
            {
                string s => s,
                JsonElement json => json.GetRawText(),
                null => string.Empty,
                var other => JsonSerializer.Serialize(other),
            };
        }

        return result;
    }
}
