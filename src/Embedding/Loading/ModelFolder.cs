using System.Text.Json;
using Rag.Embedding.Pooling;

namespace Rag.Embedding.Loading;

/// <summary>
/// What a sentence-transformers folder says about its model: the ONNX file, sequence length, lower-casing,
/// pooling, normalisation and prompts. Only reads files; nothing native is created here.
/// </summary>
public sealed record ModelFolder
{
    private static readonly string[] DefaultModelFiles = ["onnx/model.onnx", "model.onnx"];

    public required string Path { get; init; }

    public required string OnnxFile { get; init; }

    /// <summary><c>max_seq_length</c>, else the tokenizer's <c>model_max_length</c>, else 512.</summary>
    public required int MaxSequenceLength { get; init; }

    /// <summary>sentence-transformers' <c>do_lower_case</c>: lower-case the text before the tokenizer sees it.</summary>
    public required bool LowerCase { get; init; }

    /// <summary>Pooling from <c>1_Pooling/config.json</c>; mean when the folder has none (sentence-transformers' default).</summary>
    public required PoolingModes Pooling { get; init; }

    /// <summary>True when <c>modules.json</c> lists a <c>Normalize</c> module.</summary>
    public required bool Normalize { get; init; }

    /// <summary>Prompts from <c>config_sentence_transformers.json</c> (e.g. <c>"query": "query: "</c>).</summary>
    public required IReadOnlyDictionary<string, string> Prompts { get; init; }

    /// <param name="section">The configuration section named in errors (<c>Embedding</c>, <c>Reranker</c>).</param>
    public static ModelFolder Read(string path, string? modelFile = null, string section = "Embedding")
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{section} model folder '{path}' does not exist.");
        }
        var modules = ReadModules(path);
        var poolingDirectory = modules.FirstOrDefault(m => m.Type.EndsWith(".Pooling", StringComparison.Ordinal)).Path ?? "1_Pooling";
        var stConfig = ConfigFile.Read(System.IO.Path.Combine(path, "sentence_bert_config.json"));
        var tokenizerConfig = ConfigFile.Read(System.IO.Path.Combine(path, "tokenizer_config.json"));
        return new ModelFolder
        {
            Path = path,
            OnnxFile = FindOnnxFile(path, modelFile, section),
            MaxSequenceLength = ConfigFile.Int(stConfig, "max_seq_length") ?? SaneModelMaxLength(tokenizerConfig) ?? 512,
            LowerCase = ConfigFile.Bool(stConfig, "do_lower_case") ?? false,
            Pooling = ReadPooling(System.IO.Path.Combine(path, poolingDirectory, "config.json")),
            Normalize = modules.Any(m => m.Type.EndsWith(".Normalize", StringComparison.Ordinal)),
            Prompts = ReadPrompts(System.IO.Path.Combine(path, "config_sentence_transformers.json")),
        };
    }

    private static string FindOnnxFile(string path, string? modelFile, string section)
    {
        if (modelFile is not null)
        {
            var chosen = System.IO.Path.Combine(path, modelFile);
            return File.Exists(chosen) ? chosen : throw new FileNotFoundException($"Configured model file '{chosen}' ({section}:ModelFile) does not exist.", chosen);
        }
        foreach (var candidate in DefaultModelFiles)
        {
            var file = System.IO.Path.Combine(path, candidate);
            if (File.Exists(file))
            {
                return file;
            }
        }
        // A folder fetched with one variant only (onnx/model_qint8_avx512.onnx, …) needs no configuration.
        string[] graphs = [.. new[] { path, System.IO.Path.Combine(path, "onnx") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.onnx"))
            .Order(StringComparer.Ordinal)];
        if (graphs.Length == 1)
        {
            return graphs[0];
        }
        var tried = string.Join("' or '", DefaultModelFiles.Select(f => System.IO.Path.Combine(path, f)));
        throw new FileNotFoundException(graphs.Length == 0
            ? $"No ONNX model in '{path}': expected '{tried}' (or set {section}:ModelFile)."
            : $"'{path}' holds several ONNX models ({string.Join(", ", graphs.Select(g => System.IO.Path.GetRelativePath(path, g)))}): choose one with {section}:ModelFile.");
    }

    private static PoolingModes ReadPooling(string file)
    {
        var config = ConfigFile.Read(file);
        if (config is null)
        {
            return PoolingModes.Mean;
        }
        if (ConfigFile.Bool(config, "pooling_mode_weightedmean_tokens") == true)
        {
            throw new NotSupportedException($"'{file}': weighted-mean pooling is not supported.");
        }
        var modes = PoolingModes.None;
        modes |= ConfigFile.Bool(config, "pooling_mode_cls_token") == true ? PoolingModes.Cls : 0;
        modes |= ConfigFile.Bool(config, "pooling_mode_max_tokens") == true ? PoolingModes.Max : 0;
        modes |= ConfigFile.Bool(config, "pooling_mode_mean_tokens") == true ? PoolingModes.Mean : 0;
        modes |= ConfigFile.Bool(config, "pooling_mode_mean_sqrt_len_tokens") == true ? PoolingModes.MeanSqrtLength : 0;
        modes |= ConfigFile.Bool(config, "pooling_mode_lasttoken") == true ? PoolingModes.LastToken : 0;
        return modes != PoolingModes.None ? modes : throw new InvalidDataException($"'{file}' enables no pooling mode.");
    }

    private static List<(string Type, string? Path)> ReadModules(string path)
    {
        var modules = new List<(string, string?)>();
        if (ConfigFile.Read(System.IO.Path.Combine(path, "modules.json")) is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var module in array.EnumerateArray())
            {
                modules.Add((ConfigFile.String(module, "type") ?? "", ConfigFile.String(module, "path")));
            }
        }
        return modules;
    }

    private static Dictionary<string, string> ReadPrompts(string file)
    {
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ConfigFile.Read(file) is { } config && config.TryGetProperty("prompts", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var prompt in map.EnumerateObject())
            {
                if (prompt.Value.ValueKind == JsonValueKind.String)
                {
                    prompts[prompt.Name] = prompt.Value.GetString()!;
                }
            }
        }
        return prompts;
    }

    /// <summary>Tokenizers without a limit store a huge sentinel (1e30) as model_max_length.</summary>
    private static int? SaneModelMaxLength(JsonElement? tokenizerConfig) =>
        tokenizerConfig is { } config && config.TryGetProperty("model_max_length", out var value)
            && value.TryGetDouble(out var length) && length is >= 1 and <= 1 << 20
            ? (int)length
            : null;
}
