using System.Text.Json.Nodes;

namespace Rag.ModelForge.Tokenizer;

/// <summary>
/// Writes a byte-level BPE tokenizer as Qwen2/SmolLM2 repositories have it: tokenizer.json (model BPE, ByteLevel
/// pre-tokenizer and decoder, special added tokens), vocab.json, merges.txt, tokenizer_config.json with a ChatML
/// chat template, and special_tokens_map.json.
/// </summary>
public static class BpeFiles
{
    /// <summary>ChatML, with "\n" escapes inside the Jinja string literals as the hub's templates have them.</summary>
    public const string ChatTemplate =
        @"{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}"
        + @"{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public static void Write(string directory, BpeModel model, int modelMaxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        JsonFile.Write(Path.Combine(directory, "vocab.json"), Vocab(model));
        File.WriteAllLines(Path.Combine(directory, "merges.txt"), ["#version: 0.2", .. model.Merges.Select(m => $"{m.Left} {m.Right}")]);
        JsonFile.Write(Path.Combine(directory, "tokenizer.json"), TokenizerJson(model));

        var addedTokensDecoder = new JsonObject();
        foreach (var token in BpeModel.SpecialTokens)
        {
            var entry = AddedTokens.Special(model.SpecialId(token), token);
            entry.Remove("id");
            addedTokensDecoder[model.SpecialId(token).ToString(System.Globalization.CultureInfo.InvariantCulture)] = entry;
        }
        JsonFile.Write(Path.Combine(directory, "tokenizer_config.json"), new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = addedTokensDecoder,
            ["additional_special_tokens"] = new JsonArray(BpeModel.ImStart, BpeModel.ImEnd),
            ["bos_token"] = BpeModel.EndOfText,
            ["chat_template"] = ChatTemplate,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = BpeModel.ImEnd,
            ["errors"] = "replace",
            ["model_max_length"] = modelMaxLength,
            ["pad_token"] = BpeModel.EndOfText,
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["unk_token"] = null,
        });
        JsonFile.Write(Path.Combine(directory, "special_tokens_map.json"), new JsonObject
        {
            ["additional_special_tokens"] = new JsonArray(BpeModel.ImStart, BpeModel.ImEnd),
            ["bos_token"] = BpeModel.EndOfText,
            ["eos_token"] = BpeModel.ImEnd,
            ["pad_token"] = BpeModel.EndOfText,
        });
    }

    /// <summary>The BPE vocabulary plus the special tokens, as GPT-2's vocab.json lists &lt;|endoftext|&gt; (loaders expect it there).</summary>
    private static JsonObject Vocab(BpeModel model)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < model.Vocabulary.Count; id++)
        {
            vocab[model.Vocabulary[id]] = id;
        }
        foreach (var token in BpeModel.SpecialTokens)
        {
            vocab[token] = model.SpecialId(token);
        }
        return vocab;
    }

    private static JsonObject TokenizerJson(BpeModel model)
    {
        JsonObject ByteLevelStep(string type) => new()
        {
            ["type"] = type,
            ["add_prefix_space"] = false,
            ["trim_offsets"] = false,
            ["use_regex"] = false,
        };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(BpeModel.SpecialTokens.Select(t => (JsonNode)AddedTokens.Special(model.SpecialId(t), t)).ToArray()),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = BpeModel.PreTokenizerPattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    ByteLevelStep("ByteLevel")),
            },
            ["post_processor"] = ByteLevelStep("ByteLevel"),
            ["decoder"] = ByteLevelStep("ByteLevel"),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = Vocab(model),
                ["merges"] = new JsonArray(model.Merges.Select(m => (JsonNode)$"{m.Left} {m.Right}").ToArray()),
            },
        };
    }
}
