using System.Text.Json;

namespace Rag.Tokenizers;

/// <summary>What <c>tokenizer_config.json</c> says about special tokens, BOS/EOS insertion, length and chat templates.</summary>
public sealed class TokenizerConfig
{
    public string? BosToken { get; init; }

    public string? EosToken { get; init; }

    public string? PadToken { get; init; }

    public string? UnkToken { get; init; }

    /// <summary>Null when the file does not say; then the tokenizer.json post-processor alone decides.</summary>
    public bool? AddBosToken { get; init; }

    public bool? AddEosToken { get; init; }

    public bool? DoLowerCase { get; init; }

    /// <summary>BertTokenizer's <c>strip_accents</c>; null means "strip when lower-casing".</summary>
    public bool? StripAccents { get; init; }

    /// <summary>BertTokenizer's <c>tokenize_chinese_chars</c>: spaces around CJK ideographs (null: yes).</summary>
    public bool? TokenizeChineseChars { get; init; }

    public string? ClsToken { get; init; }

    public string? SepToken { get; init; }

    /// <summary>HF writes a huge sentinel (1e30) when unknown; that is reported as null.</summary>
    public int? ModelMaxLength { get; init; }

    public string? TokenizerClass { get; init; }

    /// <summary>Chat templates by name; a single-string <c>chat_template</c> is named "default".</summary>
    public IReadOnlyDictionary<string, string> ChatTemplates { get; init; } = new Dictionary<string, string>();

    /// <summary>Tokens declared in <c>added_tokens_decoder</c> (needed when there is no tokenizer.json).</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];

    public string? ChatTemplate(string name = "default") => ChatTemplates.GetValueOrDefault(name);

    public static TokenizerConfig Empty { get; } = new();

    /// <summary>
    /// A model folder's tokenizer_config.json, with the chat templates newer transformers save beside it
    /// (chat_template.jinja, chat_template.json) when the config itself has none.
    /// </summary>
    public static TokenizerConfig Load(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        var config = File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;
        if (config.ChatTemplates.Count > 0)
        {
            return config;
        }

        var jinja = Path.Combine(folder, "chat_template.jinja");
        var json = Path.Combine(folder, "chat_template.json");
        var templates = File.Exists(jinja) ? new Dictionary<string, string> { ["default"] = File.ReadAllText(jinja) }
            : File.Exists(json) ? Templates(ParseRoot(File.ReadAllText(json)))
            : null;
        return templates is null ? config : config.With(templates);
    }

    /// <summary>This config with tokenizer.json's added tokens, which are the ones the tokenizer actually matches.</summary>
    internal TokenizerConfig WithAddedTokens(IReadOnlyList<AddedToken> addedTokens) => With(ChatTemplates, addedTokens);

    private TokenizerConfig With(IReadOnlyDictionary<string, string> templates) => With(templates, AddedTokens);

    private TokenizerConfig With(IReadOnlyDictionary<string, string> templates, IReadOnlyList<AddedToken> addedTokens) => new()
    {
        BosToken = BosToken,
        EosToken = EosToken,
        PadToken = PadToken,
        UnkToken = UnkToken,
        AddBosToken = AddBosToken,
        AddEosToken = AddEosToken,
        DoLowerCase = DoLowerCase,
        StripAccents = StripAccents,
        TokenizeChineseChars = TokenizeChineseChars,
        ClsToken = ClsToken,
        SepToken = SepToken,
        ModelMaxLength = ModelMaxLength,
        TokenizerClass = TokenizerClass,
        ChatTemplates = templates,
        AddedTokens = addedTokens,
    };

    private static JsonElement ParseRoot(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static TokenizerConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        return new TokenizerConfig
        {
            BosToken = TokenContent(root, "bos_token"),
            EosToken = TokenContent(root, "eos_token"),
            PadToken = TokenContent(root, "pad_token"),
            UnkToken = TokenContent(root, "unk_token"),
            AddBosToken = Bool(root, "add_bos_token"),
            AddEosToken = Bool(root, "add_eos_token"),
            DoLowerCase = Bool(root, "do_lower_case"),
            StripAccents = Bool(root, "strip_accents"),
            TokenizeChineseChars = Bool(root, "tokenize_chinese_chars"),
            ClsToken = TokenContent(root, "cls_token"),
            SepToken = TokenContent(root, "sep_token"),
            ModelMaxLength = root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number
                && max.TryGetDouble(out var value) && value < int.MaxValue ? (int)value : null,
            TokenizerClass = root.TryGetProperty("tokenizer_class", out var cls) && cls.ValueKind == JsonValueKind.String ? cls.GetString() : null,
            ChatTemplates = Templates(root),
            AddedTokens = AddedTokensDecoder(root),
        };
    }

    /// <summary>A special token is written either as a string or as an AddedToken object with "content".</summary>
    internal static string? TokenContent(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var token) ? null : token.ValueKind switch
        {
            JsonValueKind.String => token.GetString(),
            JsonValueKind.Object when token.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static Dictionary<string, string> Templates(JsonElement root)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("chat_template", out var template))
        {
            return templates;
        }

        if (template.ValueKind == JsonValueKind.String)
        {
            templates["default"] = template.GetString()!;
        }
        else if (template.ValueKind == JsonValueKind.Array)
        {
            foreach (var named in template.EnumerateArray())
            {
                templates[named.GetProperty("name").GetString()!] = named.GetProperty("template").GetString()!;
            }
        }

        return templates;
    }

    private static List<AddedToken> AddedTokensDecoder(JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                tokens.Add(TokenizerJson.ParseAddedToken(entry.Value, int.Parse(entry.Name, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return tokens;
    }
}
