using System.Diagnostics;
using System.Globalization;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Onnx;

namespace Rag.ModelForge.Cli;

/// <summary>The console: <c>decoder …</c>, <c>encoder …</c> or <c>cross-encoder …</c>; prints usage and returns 2 on bad arguments.</summary>
public static class ForgeCommand
{
    private const string Usage = """
        Usage:
          ModelForge decoder --out DIR [--preset tiny|demo|smollm2-135m|qwen2.5-0.5b] [--layout optimum|gqa] [--seed N] [--untied] [--external-data] [--corpus FILE]
                             [--kv-dtype float32|float16] [--logits-dtype float32|float16] [--ids int64|int32] [--merged]
          ModelForge encoder --out DIR [--preset tiny|minilm-l6] [--pooling mean|cls] [--no-normalize] [--lexical] [--seed N] [--external-data] [--corpus FILE]
          ModelForge cross-encoder --out DIR [--preset tiny|minilm-l6] [--labels N] [--seed N] [--external-data] [--corpus FILE]

        Writes a Hugging Face model folder (onnx/model.onnx plus tokenizer and config files) with seeded random weights.
          --layout optimum   inputs input_ids, attention_mask, position_ids, past_key_values.{i}.key/.value (Optimum, transformers.js)
          --layout gqa       com.microsoft.GroupQueryAttention with shared past/present buffers and genai_config.json (ONNX Runtime GenAI)
          --kv-dtype         element type of past_key_values.* / present.* (float16 as in fp16 exports; math stays float32 except GQA's attention)
          --logits-dtype     element type of the logits output
          --ids              element type of input_ids, attention_mask and position_ids (cast to int64 inside)
          --merged           Optimum's merged decoder: a use_cache_branch input selects the with-past or without-past branch of an If
          --labels N         cross-encoder outputs logits [batch, N] (1, the default, is a relevance score as ms-marco rerankers give)
          --lexical          scale the encoder layers down so sentence vectors follow the bag of words (retrieval by shared words works)
          --external-data    store weights in onnx/model.onnx_data even below the 2 GB protobuf limit
          --corpus FILE      learn the tokenizer vocabulary from this UTF-8 text instead of the built-in English text
        """;

    private static readonly Dictionary<string, OnnxDataType> FloatTypes = new(StringComparer.Ordinal)
    {
        ["float32"] = OnnxDataType.Float,
        ["float16"] = OnnxDataType.Float16,
    };

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var clock = Stopwatch.StartNew();
            var output = args.Length == 0 ? throw new ArgumentException("Missing command.") : args[0] switch
            {
                "decoder" => Decoder(new ForgeArguments(args.Skip(1),
                    Set("--untied", "--external-data", "--merged"), Set("--out", "--preset", "--layout", "--seed", "--corpus", "--kv-dtype", "--logits-dtype", "--ids"))),
                "encoder" => Encoder(new ForgeArguments(args.Skip(1),
                    Set("--lexical", "--no-normalize", "--external-data"), Set("--out", "--preset", "--pooling", "--seed", "--corpus"))),
                "cross-encoder" => CrossEncoder(new ForgeArguments(args.Skip(1),
                    Set("--external-data"), Set("--out", "--preset", "--labels", "--seed", "--corpus"))),
                "--help" or "-h" or "help" => null,
                _ => throw new ArgumentException($"Unknown command '{args[0]}'."),
            };
            if (output is null)
            {
                Console.WriteLine(Usage);
                return 0;
            }
            Console.WriteLine($"Wrote {args[0]} to {Path.GetFullPath(output)} in {clock.Elapsed.TotalSeconds:F2} s (random weights, not a trained model).");
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static string Decoder(ForgeArguments a)
    {
        var options = new DecoderOptions(
            Preset: Preset(a, Presets.DecoderNames),
            Seed: a.Seed(),
            Layout: a.Choice("--layout", DecoderLayout.Optimum,
                new Dictionary<string, DecoderLayout> { ["optimum"] = DecoderLayout.Optimum, ["gqa"] = DecoderLayout.Gqa }),
            TieWordEmbeddings: a.Flag("--untied") ? false : null,
            ForceExternalData: a.Flag("--external-data"),
            TrainingText: Corpus(a),
            KvType: a.Choice("--kv-dtype", OnnxDataType.Float, FloatTypes),
            LogitsType: a.Choice("--logits-dtype", OnnxDataType.Float, FloatTypes),
            IdType: a.Choice("--ids", OnnxDataType.Int64,
                new Dictionary<string, OnnxDataType> { ["int64"] = OnnxDataType.Int64, ["int32"] = OnnxDataType.Int32 }),
            Merged: a.Flag("--merged"));
        var output = a.Text("--out");
        DecoderForge.Build(options, output);
        return output;
    }

    private static string Encoder(ForgeArguments a)
    {
        var options = new EncoderOptions(
            Preset: Preset(a, Presets.EncoderNames),
            Seed: a.Seed(),
            Pooling: a.Choice("--pooling", Pooling.Mean,
                new Dictionary<string, Pooling> { ["mean"] = Pooling.Mean, ["cls"] = Pooling.Cls }),
            Normalize: !a.Flag("--no-normalize"),
            Lexical: a.Flag("--lexical"),
            ForceExternalData: a.Flag("--external-data"),
            TrainingText: Corpus(a));
        var output = a.Text("--out");
        EncoderForge.Build(options, output);
        return output;
    }

    private static string CrossEncoder(ForgeArguments a)
    {
        var labels = int.TryParse(a.Text("--labels", "1"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new ArgumentException("--labels must be a positive integer.");
        var options = new CrossEncoderOptions(
            Preset: Preset(a, Presets.EncoderNames),
            Seed: a.Seed(),
            Labels: labels,
            ForceExternalData: a.Flag("--external-data"),
            TrainingText: Corpus(a));
        var output = a.Text("--out");
        CrossEncoderForge.Build(options, output);
        return output;
    }

    private static string Preset(ForgeArguments a, IReadOnlyList<string> known)
    {
        var preset = a.Text("--preset", Presets.Tiny);
        return known.Contains(preset) ? preset : throw new ArgumentException($"--preset must be one of: {string.Join(", ", known)}.");
    }

    private static string? Corpus(ForgeArguments a)
    {
        var path = a.Text("--corpus", "");
        return path.Length == 0 ? null
            : File.Exists(path) ? File.ReadAllText(path)
            : throw new ArgumentException($"--corpus file '{path}' does not exist.");
    }

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
