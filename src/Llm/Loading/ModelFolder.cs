using Rag.Llm.Generation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rag.Llm.Loading;

/// <summary>A model folder as Hugging Face Optimum or ONNX Runtime GenAI writes it: the decoder graph, its configs
/// and the tokenizer files beside them.</summary>
public sealed class ModelFolder
{
    private static readonly string[] DecoderCandidates =
        ["onnx/model.onnx", "model.onnx", "onnx/decoder_model_merged.onnx", "decoder_model_merged.onnx"];

    private ModelFolder(string directory, string decoderPath, ModelConfig config)
    {
        Directory = directory;
        DecoderPath = decoderPath;
        Config = config;
    }

    public string Directory { get; }

    /// <summary>What users call the model: its Hugging Face name without the owner, e.g. "SmolLM2-135M-Instruct".</summary>
    public string Name => Rag.Tokenizers.Loading.ModelName.Of(Directory);

    public string DecoderPath { get; }
    public ModelConfig Config { get; }

    /// <param name="decoderFile">The decoder graph, relative to <paramref name="path"/>, when the folder holds several.</param>
    public static ModelFolder Open(string path, string? decoderFile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!System.IO.Directory.Exists(path))
        {
            throw new ModelLoadException($"Model folder '{path}' does not exist.");
        }
        var directory = Path.GetFullPath(path);
        var genai = ReadJson(directory, "genai_config.json");
        var decoder = FindDecoder(directory, decoderFile, genai);
        var config = ReadConfig(directory, genai);
        return new ModelFolder(directory, decoder, config);
    }

    private static string FindDecoder(string directory, string? decoderFile, JsonNode? genai)
    {
        if (decoderFile is not null)
        {
            var chosen = Path.Combine(directory, decoderFile);
            return File.Exists(chosen) ? chosen : throw new ModelLoadException($"The configured decoder '{chosen}' does not exist.");
        }
        if (genai?["model"]?["decoder"]?["filename"]?.GetValue<string>() is { } named)
        {
            var genaiPath = Path.Combine(directory, named);
            return File.Exists(genaiPath)
                ? genaiPath
                : throw new ModelLoadException($"genai_config.json names decoder '{named}', which is not in '{directory}'.");
        }
        foreach (var candidate in DecoderCandidates)
        {
            var full = Path.Combine(directory, candidate);
            if (File.Exists(full))
            {
                return full;
            }
        }
        var graphs = Graphs(directory);
        return graphs.Length switch
        {
            1 => Path.Combine(directory, graphs[0]),
            0 => throw new ModelLoadException(
                $"No ONNX decoder in '{directory}': looked for {string.Join(", ", DecoderCandidates)} and genai_config.json."),
            _ => throw new ModelLoadException(
                $"'{directory}' holds several ONNX graphs ({string.Join(", ", graphs)}): choose one with Llm:ModelFile."),
        };
    }

    // A folder fetched with one variant only (onnx/model_q4.onnx, model_fp16.onnx, …) needs no configuration.
    private static string[] Graphs(string directory) =>
        [.. new[] { directory, Path.Combine(directory, "onnx") }
            .Where(System.IO.Directory.Exists)
            .SelectMany(d => System.IO.Directory.EnumerateFiles(d, "*.onnx"))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static ModelConfig ReadConfig(string directory, JsonNode? genai)
    {
        var hf = ReadJson(directory, "config.json");
        var generation = ReadJson(directory, "generation_config.json");
        if (hf is null && genai is null)
        {
            throw new ModelLoadException($"'{directory}' has neither config.json nor genai_config.json.");
        }
        var model = genai?["model"];
        var decoder = model?["decoder"];
        string file = hf is null ? "genai_config.json" : "config.json";

        int Required(string hfName, JsonNode? genaiNode)
        {
            var value = Int(hf?[hfName]) ?? Int(genaiNode);
            return value ?? throw new ModelLoadException($"{file} in '{directory}' lacks '{hfName}'.");
        }

        var heads = Required("num_attention_heads", decoder?["num_attention_heads"]);
        var hidden = Required("hidden_size", decoder?["hidden_size"]);
        var headDim = Int(hf?["head_dim"]) ?? Int(decoder?["head_size"]) ?? hidden / heads;
        var eos = IdList(generation?["eos_token_id"]) ?? IdList(hf?["eos_token_id"]) ?? IdList(model?["eos_token_id"]) ?? [];

        return new ModelConfig
        {
            ModelType = hf?["model_type"]?.GetValue<string>() ?? model?["type"]?.GetValue<string>() ?? "unknown",
            VocabSize = Required("vocab_size", model?["vocab_size"]),
            NumLayers = Required("num_hidden_layers", decoder?["num_hidden_layers"]),
            NumKeyValueHeads = Int(hf?["num_key_value_heads"]) ?? Int(decoder?["num_key_value_heads"]) ?? heads,
            HeadDim = headDim,
            ContextLength = Int(hf?["max_position_embeddings"]) ?? Int(model?["context_length"])
                ?? throw new ModelLoadException($"{file} in '{directory}' lacks 'max_position_embeddings'."),
            EosTokenIds = eos,
            BosTokenId = Int(generation?["bos_token_id"]) ?? Int(hf?["bos_token_id"]) ?? Int(model?["bos_token_id"]),
            PastPresentShareBuffer = genai?["search"]?["past_present_share_buffer"]?.GetValue<bool>() ?? false,
            // GenAI folders carry their sampling defaults in "search", under the same names.
            DefaultSampling = ReadSampling(generation ?? genai?["search"]),
        };
    }

    // Transformers' GenerationConfig defaults apply to what the file leaves out (top_k 50 among them).
    private static SamplingOptions ReadSampling(JsonNode? generation)
    {
        if (generation?["do_sample"]?.GetValue<bool>() != true)
        {
            return SamplingOptions.Greedy;
        }
        return new SamplingOptions
        {
            Temperature = Float(generation["temperature"]) ?? 1f,
            TopP = Float(generation["top_p"]) ?? 1f,
            TopK = Int(generation["top_k"]) ?? 50,
            MinP = Float(generation["min_p"]) ?? 0f,
            RepetitionPenalty = Float(generation["repetition_penalty"]) ?? 1f,
        };
    }

    private static float? Float(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? (float)number : null;

    private static int? Int(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static int[]? IdList(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(item => Int(item) ?? throw new ModelLoadException($"Token id list holds '{item}'."))],
        JsonValue when Int(node) is { } single => [single],
        _ => null,
    };

    private static JsonNode? ReadJson(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{name} in '{directory}' is not valid JSON: {e.Message}", e);
        }
    }
}
