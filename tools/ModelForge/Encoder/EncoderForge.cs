using System.Text.Json.Nodes;
using Rag.ModelForge.Onnx;
using Rag.ModelForge.Tokenizer;

namespace Rag.ModelForge.Encoder;

/// <summary>
/// Writes a sentence-transformers model folder: onnx/model.onnx, the BERT tokenizer files, config.json,
/// sentence_bert_config.json, modules.json, 1_Pooling/config.json and (when normalizing) the 2_Normalize module.
/// </summary>
public static class EncoderForge
{
    /// <summary>The vocabulary and weights for <paramref name="options"/>: what both the ONNX graph and the managed reference use.</summary>
    public static (WordPieceVocabulary Vocabulary, EncoderWeights Weights) Create(EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vocabulary = WordPieceVocabulary.Learn(options.TrainingText ?? Corpus.BuiltIn, Presets.EncoderVocabularySize(options.Preset));
        var config = Presets.Encoder(options.Preset, vocabulary.Tokens.Count);
        return (vocabulary, EncoderWeights.Generate(config, options.Seed, options.Lexical, vocabulary.FunctionTokenIds()));
    }

    public static void Build(EncoderOptions options, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (vocabulary, weights) = Create(options);
        var c = weights.Config;
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        OnnxModelWriter.Write(EncoderGraph.Build(weights), Path.Combine(directory, "onnx", "model.onnx"), options.ForceExternalData);
        WordPieceFiles.Write(directory, vocabulary, c.MaxPositions);

        JsonFile.Write(Path.Combine(directory, "config.json"), BertConfig(c, vocabulary, "BertModel", labels: 0));
        JsonFile.Write(Path.Combine(directory, "sentence_bert_config.json"), new JsonObject
        {
            ["max_seq_length"] = options.MaxSequenceLength,
            ["do_lower_case"] = false,
        });
        JsonFile.Write(Path.Combine(directory, "1_Pooling", "config.json"), new JsonObject
        {
            ["word_embedding_dimension"] = c.HiddenSize,
            ["pooling_mode_cls_token"] = options.Pooling == Pooling.Cls,
            ["pooling_mode_mean_tokens"] = options.Pooling == Pooling.Mean,
            ["pooling_mode_max_tokens"] = false,
            ["pooling_mode_mean_sqrt_len_tokens"] = false,
            ["pooling_mode_weightedmean_tokens"] = false,
            ["pooling_mode_lasttoken"] = false,
            ["include_prompt"] = true,
        });
        var modules = new JsonArray(
            Module(0, "0", "", "Transformer"),
            Module(1, "1", "1_Pooling", "Pooling"));
        if (options.Normalize)
        {
            modules.Add(Module(2, "2", "2_Normalize", "Normalize"));
            Directory.CreateDirectory(Path.Combine(directory, "2_Normalize"));
        }
        JsonFile.Write(Path.Combine(directory, "modules.json"), modules);
    }

    /// <summary>
    /// config.json as transformers writes it (keys sorted); with <paramref name="labels"/> &gt; 0 it also names the
    /// classifier's labels (<c>id2label</c>/<c>label2id</c>, from which transformers derives <c>num_labels</c>).
    /// </summary>
    internal static JsonObject BertConfig(EncoderConfig c, WordPieceVocabulary vocabulary, string architecture, int labels)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(architecture),
            ["attention_probs_dropout_prob"] = 0.1,
            ["classifier_dropout"] = null,
            ["hidden_act"] = "gelu",
            ["hidden_dropout_prob"] = 0.1,
            ["hidden_size"] = c.HiddenSize,
        };
        if (labels > 0)
        {
            config["id2label"] = new JsonObject(Enumerable.Range(0, labels).Select(i => KeyValuePair.Create($"{i}", (JsonNode?)$"LABEL_{i}")));
        }
        config["initializer_range"] = 0.02;
        config["intermediate_size"] = c.IntermediateSize;
        if (labels > 0)
        {
            config["label2id"] = new JsonObject(Enumerable.Range(0, labels).Select(i => KeyValuePair.Create($"LABEL_{i}", (JsonNode?)i)));
        }
        config["layer_norm_eps"] = c.LayerNormEps;
        config["max_position_embeddings"] = c.MaxPositions;
        config["model_type"] = "bert";
        config["num_attention_heads"] = c.Heads;
        config["num_hidden_layers"] = c.Layers;
        config["pad_token_id"] = vocabulary.Ids[WordPieceVocabulary.Pad];
        config["position_embedding_type"] = "absolute";
        if (labels > 0)
        {
            // What sentence-transformers' CrossEncoder applies to a one-label model's logit.
            config["sentence_transformers"] = new JsonObject { ["activation_fn"] = "torch.nn.modules.activation.Sigmoid" };
        }
        config["torch_dtype"] = "float32";
        config["transformers_version"] = "4.45.0";
        config["type_vocab_size"] = c.TypeVocabSize;
        config["use_cache"] = true;
        config["vocab_size"] = c.VocabSize;
        return config;
    }

    private static JsonObject Module(int index, string name, string path, string type) => new()
    {
        ["idx"] = index,
        ["name"] = name,
        ["path"] = path,
        ["type"] = $"sentence_transformers.models.{type}",
    };
}
