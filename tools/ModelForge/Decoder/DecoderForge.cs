using System.Text.Json.Nodes;
using Rag.ModelForge.Onnx;
using Rag.ModelForge.Tokenizer;

namespace Rag.ModelForge.Decoder;

/// <summary>
/// Writes a Llama model folder: onnx/model.onnx, config.json, generation_config.json, the byte-level BPE tokenizer
/// files and, for the GQA layout, genai_config.json (its decoder filename points at onnx/model.onnx).
/// </summary>
public static class DecoderForge
{
    /// <summary>The tokenizer and weights for <paramref name="options"/>: what both the ONNX graph and the managed reference use.</summary>
    public static (BpeModel Tokenizer, DecoderWeights Weights) Create(DecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trainingText = options.TrainingText ?? Corpus.BuiltIn;
        var tokenizer = BpeTrainer.Learn(trainingText, Presets.DecoderTokenizerTarget(options.Preset));
        var config = Presets.Decoder(options.Preset, tokenizer.Count);
        if (options.TieWordEmbeddings is { } tie)
        {
            config = config with { TieWordEmbeddings = tie };
        }
        var weights = DecoderWeights.Generate(config, options.Seed);
        // The offline demo's answers are read by people: steer greedy decoding towards visible words (see DemoLogitBias).
        return (tokenizer, options.WordBias ?? options.Preset == Presets.Demo ? weights with { LmHeadBias = DemoLogitBias.For(tokenizer, config.VocabSize, trainingText) } : weights);
    }

    public static void Build(DecoderOptions options, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (tokenizer, weights) = Create(options);
        var c = weights.Config;
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        var graph = options.Layout == DecoderLayout.Gqa ? GqaDecoderGraph.Build(weights, options) : OptimumDecoderGraph.Build(weights, options);
        OnnxModelWriter.Write(graph, Path.Combine(directory, "onnx", "model.onnx"), options.ForceExternalData);
        BpeFiles.Write(directory, tokenizer, c.MaxPositions);

        var bos = tokenizer.SpecialId(BpeModel.EndOfText);
        var eos = tokenizer.SpecialId(BpeModel.ImEnd);
        var pad = tokenizer.SpecialId(BpeModel.EndOfText);
        JsonFile.Write(Path.Combine(directory, "config.json"), new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["attention_bias"] = false,
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = bos,
            ["eos_token_id"] = eos,
            ["head_dim"] = c.HeadDim,
            ["hidden_act"] = "silu",
            ["hidden_size"] = c.HiddenSize,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = c.IntermediateSize,
            ["max_position_embeddings"] = c.MaxPositions,
            ["mlp_bias"] = false,
            ["model_type"] = "llama",
            ["num_attention_heads"] = c.Heads,
            ["num_hidden_layers"] = c.Layers,
            ["num_key_value_heads"] = c.KvHeads,
            ["pad_token_id"] = pad,
            ["pretraining_tp"] = 1,
            ["rms_norm_eps"] = c.RmsNormEps,
            ["rope_scaling"] = null,
            ["rope_theta"] = c.RopeTheta,
            ["tie_word_embeddings"] = c.TieWordEmbeddings,
            ["torch_dtype"] = "float32",
            ["transformers_version"] = "4.45.0",
            ["use_cache"] = true,
            ["vocab_size"] = c.VocabSize,
        });
        JsonFile.Write(Path.Combine(directory, "generation_config.json"), new JsonObject
        {
            ["bos_token_id"] = bos,
            ["eos_token_id"] = new JsonArray(eos, tokenizer.SpecialId(BpeModel.EndOfText)),
            ["pad_token_id"] = pad,
            ["do_sample"] = false,
            ["max_new_tokens"] = 128,
            ["transformers_version"] = "4.45.0",
        });
        if (options.Layout == DecoderLayout.Gqa)
        {
            JsonFile.Write(Path.Combine(directory, "genai_config.json"), GenAiConfig(c, bos, eos, pad, tokenizer.SpecialId(BpeModel.EndOfText)));
        }
    }

    private static JsonObject GenAiConfig(DecoderConfig c, int bos, int eos, int pad, int endOfText) => new()
    {
        ["model"] = new JsonObject
        {
            ["bos_token_id"] = bos,
            ["context_length"] = c.MaxPositions,
            ["decoder"] = new JsonObject
            {
                ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                ["filename"] = "onnx/model.onnx",
                ["head_size"] = c.HeadDim,
                ["hidden_size"] = c.HiddenSize,
                ["inputs"] = new JsonObject
                {
                    ["input_ids"] = "input_ids",
                    ["attention_mask"] = "attention_mask",
                    ["past_key_names"] = "past_key_values.%d.key",
                    ["past_value_names"] = "past_key_values.%d.value",
                },
                ["outputs"] = new JsonObject
                {
                    ["logits"] = "logits",
                    ["present_key_names"] = "present.%d.key",
                    ["present_value_names"] = "present.%d.value",
                },
                ["num_attention_heads"] = c.Heads,
                ["num_hidden_layers"] = c.Layers,
                ["num_key_value_heads"] = c.KvHeads,
            },
            ["eos_token_id"] = new JsonArray(eos, endOfText),
            ["pad_token_id"] = pad,
            ["type"] = "llama",
            ["vocab_size"] = c.VocabSize,
        },
        ["search"] = new JsonObject
        {
            ["diversity_penalty"] = 0.0,
            ["do_sample"] = false,
            ["early_stopping"] = true,
            ["length_penalty"] = 1.0,
            ["max_length"] = c.MaxPositions,
            ["min_length"] = 0,
            ["no_repeat_ngram_size"] = 0,
            ["num_beams"] = 1,
            ["num_return_sequences"] = 1,
            ["past_present_share_buffer"] = true,
            ["repetition_penalty"] = 1.0,
            ["temperature"] = 1.0,
            ["top_k"] = 1,
            ["top_p"] = 1.0,
        },
    };
}
