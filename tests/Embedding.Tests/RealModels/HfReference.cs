using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;

namespace Rag.Embedding.Reference;

/// <summary>
/// sentence-transformers' pipeline rebuilt from parts that share no code with ours: Hugging Face's own (Rust)
/// tokenizers over the standard BERT tokenizer.json made from the folder's vocab.txt, one unpadded ONNX Runtime run
/// per text, then the folder's pooling (CLS or mean) and L2 normalisation.
/// </summary>
public sealed class HfReference : IDisposable
{
    private readonly global::Tokenizers.DotNet.Tokenizer _tokenizer;
    private readonly InferenceSession _session;
    private readonly int _maxLength;
    private readonly bool _cls;

    public HfReference(string folder, int maxLength, bool clsPooling)
    {
        // The tokenizer reads its JSON once, when built: the scratch folder goes right after, so no test leaves it in /tmp.
        var scratch = Directory.CreateTempSubdirectory("rag-hf-reference-");
        try
        {
            var json = Path.Combine(scratch.FullName, "tokenizer.json");
            File.WriteAllText(json, BertTokenizerJson(File.ReadAllLines(Path.Combine(folder, "vocab.txt"))));
            _tokenizer = new global::Tokenizers.DotNet.Tokenizer(json);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        _session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"), options);
        _maxLength = maxLength;
        _cls = clsPooling;
    }

    /// <summary>[CLS] text [SEP] as HF tokenizes it, cut as sentence-transformers does (head kept, [SEP] last).</summary>
    public long[] Ids(string text)
    {
        var ids = _tokenizer.Encode(text);
        if (ids.Length < 2 || ids[0] != 101 || ids[^1] != 102)
        {
            throw new InvalidOperationException("The reference tokenizer was expected to add [CLS] … [SEP].");
        }
        return ids.Length <= _maxLength ? [.. ids.Select(i => (long)i)] : [.. ids.Take(_maxLength - 1).Select(i => (long)i), 102];
    }

    public float[] Embed(string text) => Embed(Ids(text));

    /// <summary>The model's pooled, normalised vector for these token ids ([CLS] … [SEP], unpadded).</summary>
    public float[] Embed(long[] ids)
    {
        long[] shape = [1, ids.Length];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(ids.Select(_ => 1L).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions,
            new Dictionary<string, OrtValue> { ["input_ids"] = inputIds, ["attention_mask"] = mask, ["token_type_ids"] = types },
            ["last_hidden_state"]);
        var states = outputs[0].GetTensorDataAsSpan<float>();
        var hidden = states.Length / ids.Length;
        var vector = new double[hidden];
        var rows = _cls ? 1 : ids.Length;
        for (var t = 0; t < rows; t++)
        {
            for (var h = 0; h < hidden; h++)
            {
                vector[h] += states[(t * hidden) + h] / rows;
            }
        }
        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => (float)(v / norm))];
    }

    /// <summary>What transformers' BertTokenizerFast writes for an uncased vocab.txt.</summary>
    private static string BertTokenizerJson(string[] vocabLines)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < vocabLines.Length; id++)
        {
            vocab[vocabLines[id]] = id;
        }
        var added = new JsonArray();
        foreach (var token in new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" })
        {
            added.Add(new JsonObject
            {
                ["id"] = Array.IndexOf(vocabLines, token), ["content"] = token, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }
        var root = JsonNode.Parse("""
            {
              "version": "1.0", "truncation": null, "padding": null,
              "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
              "pre_tokenizer": {"type": "BertPreTokenizer"},
              "post_processor": {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [101], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [102], "tokens": ["[SEP]"]}}},
              "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
              "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100}
            }
            """)!;
        root["added_tokens"] = added;
        root["model"]!["vocab"] = vocab;
        return root.ToJsonString();
    }

    public void Dispose()
    {
        _session.Dispose();
        _tokenizer.Dispose();
    }
}
