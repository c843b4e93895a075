using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Rag.Api.Contracts.OpenAi;

namespace Rag.Api.Endpoints.OpenAi;

/// <summary>
/// Reads the OpenAI fields that are "a string or an array" into our types; each method returns the
/// error a client would need to fix its request, or null.
/// </summary>
internal static class OpenAiRequestReader
{
    private const int MaxStopSequences = 4;

    public static string? ReadStop(JsonElement? stop, out IList<string>? sequences)
    {
        sequences = null;
        if (stop is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind == JsonValueKind.String)
        {
            sequences = [element.GetString()!];
            return sequences[0].Length == 0 ? "'stop' must not be an empty string." : null;
        }
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > MaxStopSequences
            || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || e.GetString()!.Length == 0))
        {
            return $"'stop' must be a non-empty string or an array of at most {MaxStopSequences} non-empty strings.";
        }
        sequences = element.EnumerateArray().Select(e => e.GetString()!).ToList();
        return null;
    }

    public static string? ReadMessages(IReadOnlyList<ChatMessageDto> messages, out List<ChatMessage> chat)
    {
        chat = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            ChatRole? role = message.Role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "tool" => ChatRole.Tool,
                _ => null,
            };
            if (role is null)
            {
                return $"messages[{i}].role '{message.Role}' is not one of system, developer, user, assistant, tool.";
            }
            if (ReadContent(message.Content, $"messages[{i}].content", out var text) is { } error)
            {
                return error;
            }
            chat.Add(new ChatMessage(role.Value, text));
        }
        return chat.Any(m => m.Role != ChatRole.System) ? null : "'messages' needs at least one user or assistant message.";
    }

    public static string? ReadPrompt(JsonElement? prompt, out string text)
    {
        text = "";
        switch (prompt)
        {
            case { ValueKind: JsonValueKind.String } single:
                text = single.GetString()!;
                break;
            case { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() == 1 && array[0].ValueKind == JsonValueKind.String:
                text = array[0].GetString()!;
                break;
            default:
                return "'prompt' must be a string (or an array holding exactly one string); token arrays are not accepted.";
        }
        return text.Length == 0 ? "'prompt' is empty; give the text the model should continue." : null;
    }

    public static string? ReadInputs(JsonElement? input, int maxInputs, out List<string> texts)
    {
        texts = [];
        switch (input)
        {
            case { ValueKind: JsonValueKind.String } single:
                texts.Add(single.GetString()!);
                break;
            case { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() > maxInputs:
                return $"'input' holds {array.GetArrayLength()} strings; at most {maxInputs} are embedded per request (Api:MaxEmbeddingInputs).";
            case { ValueKind: JsonValueKind.Array } array when array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                texts.AddRange(array.EnumerateArray().Select(e => e.GetString()!));
                break;
            default:
                return "'input' must be a string or an array of strings; token arrays are not accepted.";
        }
        if (texts.Count == 0)
        {
            return "'input' must not be an empty array.";
        }
        var empty = texts.FindIndex(string.IsNullOrEmpty);
        return empty >= 0 ? $"'input[{empty}]' is empty; every input needs text." : null;
    }

    private static string? ReadContent(JsonElement? content, string field, out string text)
    {
        text = "";
        switch (content)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.String } single:
                text = single.GetString()!;
                return null;
            case { ValueKind: JsonValueKind.Array } parts:
                var builder = new StringBuilder();
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                    {
                        return $"{field} parts must be {{\"type\": \"text\", \"text\": \"...\"}}; this model reads text only.";
                    }
                    builder.Append(partText.GetString());
                }
                text = builder.ToString();
                return null;
            default:
                return $"{field} must be a string or an array of text parts.";
        }
    }
}
