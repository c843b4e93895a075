using System.Globalization;

namespace Rag.ModelProvisioning;

/// <summary>
/// Writes a packaged model as the complete sentence-transformers folder its Hugging Face repository holds
/// (<c>onnx/model.onnx</c>, <c>vocab.txt</c>, tokenizer and model configs, <c>modules.json</c> with Pooling and
/// Normalize, the query prompt), so it loads like any downloaded folder.
/// </summary>
public static class SentenceTransformerFolder
{
    /// <summary>
    /// The folder of <paramref name="model"/> under <paramref name="modelsDirectory"/> (<c>{owner}/{name}</c>, as the
    /// hub names it), written once: into a scratch folder renamed into place, so an interrupted or concurrent run never
    /// leaves or sees half a model. Returns the folder's full path.
    /// </summary>
    public static string Provision(PackagedModel model, string modelsDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = Path.GetFullPath(Path.Combine(modelsDirectory, model.HubName));
        if (Directory.Exists(folder))
        {
            return folder;
        }
        var scratch = $"{folder}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Write(model, scratch);
            Directory.Move(scratch, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another process finished the same model first; its folder is complete.
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        return folder;
    }

    private static void Write(PackagedModel model, string folder)
    {
        using (var resources = new PackageResources(model.Package))
        {
            resources.CopyTo("model.onnx", Path.Combine(folder, "onnx", "model.onnx"));
            resources.CopyTo("vocab.txt", Path.Combine(folder, "vocab.txt"));
        }
        Text(folder, "config.json", $$"""
            {
              "architectures": ["BertModel"],
              "attention_probs_dropout_prob": 0.1,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 384,
              "initializer_range": 0.02,
              "intermediate_size": 1536,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 512,
              "model_type": "bert",
              "num_attention_heads": 12,
              "num_hidden_layers": 6,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "type_vocab_size": 2,
              "vocab_size": 30522
            }
            """);
        Text(folder, "tokenizer_config.json", $$"""
            {
              "clean_up_tokenization_spaces": true,
              "cls_token": "[CLS]",
              "do_basic_tokenize": true,
              "do_lower_case": true,
              "mask_token": "[MASK]",
              "model_max_length": {{model.MaxSequenceLength.ToString(CultureInfo.InvariantCulture)}},
              "never_split": null,
              "pad_token": "[PAD]",
              "sep_token": "[SEP]",
              "strip_accents": null,
              "tokenize_chinese_chars": true,
              "tokenizer_class": "BertTokenizer",
              "unk_token": "[UNK]"
            }
            """);
        Text(folder, "special_tokens_map.json", """
            {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
            """);
        Text(folder, "modules.json", """
            [
              {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
              {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
              {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}
            ]
            """);
        Text(folder, "sentence_bert_config.json", $$"""
            {"max_seq_length": {{model.MaxSequenceLength.ToString(CultureInfo.InvariantCulture)}}, "do_lower_case": false}
            """);
        var prompts = model.QueryPrompt is null ? "{}" : $$"""{"query": "{{model.QueryPrompt}}"}""";
        Text(folder, "config_sentence_transformers.json", $$"""
            {"prompts": {{prompts}}, "default_prompt_name": null, "similarity_fn_name": "cosine"}
            """);
        var cls = model.ClsPooling ? "true" : "false";
        var mean = model.ClsPooling ? "false" : "true";
        Text(folder, Path.Combine("1_Pooling", "config.json"), $$"""
            {
              "word_embedding_dimension": 384,
              "pooling_mode_cls_token": {{cls}},
              "pooling_mode_mean_tokens": {{mean}},
              "pooling_mode_max_tokens": false,
              "pooling_mode_mean_sqrt_len_tokens": false,
              "pooling_mode_weightedmean_tokens": false,
              "pooling_mode_lasttoken": false,
              "include_prompt": true
            }
            """);
        Directory.CreateDirectory(Path.Combine(folder, "2_Normalize"));
    }

    private static void Text(string folder, string name, string content)
    {
        var file = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content + "\n");
    }
}
