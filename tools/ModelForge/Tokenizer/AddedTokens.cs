using System.Text.Json.Nodes;

namespace Rag.ModelForge.Tokenizer;

/// <summary>The <c>added_tokens</c> entry tokenizers.json gives a special token.</summary>
public static class AddedTokens
{
    public static JsonObject Special(int id, string content) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = true,
    };
}
