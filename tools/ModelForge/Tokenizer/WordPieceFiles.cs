using System.Text.Json.Nodes;

namespace Rag.ModelForge.Tokenizer;

/// <summary>Writes a BERT uncased tokenizer as the hub has it: vocab.txt, tokenizer.json (WordPiece), tokenizer_config.json, special_tokens_map.json.</summary>
public static class WordPieceFiles
{
    public static void Write(string directory, WordPieceVocabulary vocabulary, int modelMaxLength)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        File.WriteAllLines(Path.Combine(directory, "vocab.txt"), vocabulary.Tokens);
        JsonFile.Write(Path.Combine(directory, "tokenizer.json"), TokenizerJson(vocabulary));
        JsonFile.Write(Path.Combine(directory, "tokenizer_config.json"), new JsonObject
        {
            ["clean_up_tokenization_spaces"] = true,
            ["cls_token"] = WordPieceVocabulary.Cls,
            ["do_basic_tokenize"] = true,
            ["do_lower_case"] = true,
            ["mask_token"] = WordPieceVocabulary.Mask,
            ["model_max_length"] = modelMaxLength,
            ["never_split"] = null,
            ["pad_token"] = WordPieceVocabulary.Pad,
            ["sep_token"] = WordPieceVocabulary.Sep,
            ["strip_accents"] = null,
            ["tokenize_chinese_chars"] = true,
            ["tokenizer_class"] = "BertTokenizer",
            ["unk_token"] = WordPieceVocabulary.Unknown,
        });
        JsonFile.Write(Path.Combine(directory, "special_tokens_map.json"), new JsonObject
        {
            ["cls_token"] = WordPieceVocabulary.Cls,
            ["mask_token"] = WordPieceVocabulary.Mask,
            ["pad_token"] = WordPieceVocabulary.Pad,
            ["sep_token"] = WordPieceVocabulary.Sep,
            ["unk_token"] = WordPieceVocabulary.Unknown,
        });
    }

    private static JsonObject TokenizerJson(WordPieceVocabulary vocabulary)
    {
        var vocab = new JsonObject();
        foreach (var token in vocabulary.Tokens)
        {
            vocab[token] = vocabulary.Ids[token];
        }
        var cls = vocabulary.Ids[WordPieceVocabulary.Cls];
        var sep = vocabulary.Ids[WordPieceVocabulary.Sep];
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(WordPieceVocabulary.SpecialTokens.Select(t => (JsonNode)AddedTokens.Special(vocabulary.Ids[t], t)).ToArray()),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer",
                ["clean_text"] = true,
                ["handle_chinese_chars"] = true,
                ["strip_accents"] = null,
                ["lowercase"] = true,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Special("[CLS]", 0), Sequence("A", 0), Special("[SEP]", 0)),
                ["pair"] = new JsonArray(Special("[CLS]", 0), Sequence("A", 0), Special("[SEP]", 0), Sequence("B", 1), Special("[SEP]", 1)),
                ["special_tokens"] = new JsonObject
                {
                    ["[CLS]"] = new JsonObject { ["id"] = "[CLS]", ["ids"] = new JsonArray(cls), ["tokens"] = new JsonArray("[CLS]") },
                    ["[SEP]"] = new JsonObject { ["id"] = "[SEP]", ["ids"] = new JsonArray(sep), ["tokens"] = new JsonArray("[SEP]") },
                },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece",
                ["unk_token"] = WordPieceVocabulary.Unknown,
                ["continuing_subword_prefix"] = "##",
                ["max_input_chars_per_word"] = 100,
                ["vocab"] = vocab,
            },
        };
    }

    private static JsonObject Special(string id, int typeId) =>
        new() { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };

    private static JsonObject Sequence(string id, int typeId) =>
        new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
}
