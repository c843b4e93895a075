using System.Diagnostics;
using Rag.ModelForge.Cli;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Onnx;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Decoder;
using Xunit.Abstractions;

namespace Rag.ModelForge.Tests.Onnx;

public sealed class ModelFileTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("forge-test-").FullName;

    [Fact]
    public void Forced_external_data_moves_the_weights_to_model_onnx_data_and_the_model_still_runs()
    {
        var options = new DecoderOptions(ForceExternalData: true);
        DecoderForge.Build(options, _directory);
        var model = new FileInfo(Path.Combine(_directory, "onnx", "model.onnx"));
        var data = new FileInfo(Path.Combine(_directory, "onnx", OnnxModelWriter.ExternalDataFileName));
        var reference = DecoderReference.For(options);
        var weightBytes = (long)reference.Config.VocabSize * reference.Config.HiddenSize * sizeof(float);
        Assert.True(data.Length > weightBytes, $"{data.Length} bytes of external data");
        Assert.True(model.Length < weightBytes / 4, $"{model.Length} bytes left in model.onnx");

        var tokens = DecoderOnnxTests.Tokens(reference.Config.VocabSize, 6, seed: 9);
        using var stepper = new DecoderStepper(_directory, reference.Config, DecoderLayout.Optimum);
        Assert.InRange(Tensors.MaxAbsDifference(stepper.Step(tokens, tokens.Length), reference.Logits(tokens)), 0f, 1e-4f);
    }

    [Fact]
    public void Weights_beyond_the_inline_limit_go_to_external_data_automatically_and_small_ones_stay_inline()
    {
        var (_, weights) = EncoderForge.Create(new EncoderOptions());
        var graph = EncoderGraph.Build(weights);
        var path = Path.Combine(_directory, "model.onnx");
        var total = graph.Initializers.Sum(i => i.ByteLength);

        Assert.False(OnnxModelWriter.Write(graph, path, inlineLimitBytes: total));
        Assert.False(File.Exists(Path.Combine(_directory, OnnxModelWriter.ExternalDataFileName)));
        Assert.True(OnnxModelWriter.Write(graph, path, inlineLimitBytes: total - 1));
        Assert.True(File.Exists(Path.Combine(_directory, OnnxModelWriter.ExternalDataFileName)));

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputMetadata.Keys);
        Assert.Equal(["last_hidden_state"], session.OutputMetadata.Keys);
    }

    [Fact]
    public void Decoder_outputs_list_logits_first_then_present_key_and_value_per_layer()
    {
        DecoderForge.Build(new DecoderOptions(), _directory);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(_directory, "onnx", "model.onnx"));
        Assert.Equal(["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"], session.OutputMetadata.Keys);
        Assert.Equal(["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"],
            session.InputMetadata.Keys);
    }

    [Fact]
    public void Tiny_models_build_quickly_and_the_time_is_reported()
    {
        // Measured and printed, never asserted: timing belongs to benchmarks.
        foreach (var (name, build) in new (string, Action<string>)[]
        {
            ("decoder optimum", d => DecoderForge.Build(new DecoderOptions(), d)),
            ("decoder gqa", d => DecoderForge.Build(new DecoderOptions(Layout: DecoderLayout.Gqa), d)),
            ("encoder lexical", d => EncoderForge.Build(new EncoderOptions(Lexical: true), d)),
        })
        {
            var clock = Stopwatch.StartNew();
            build(Path.Combine(_directory, name.Replace(' ', '-')));
            output.WriteLine($"{name}: {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(File.Exists(Path.Combine(_directory, name.Replace(' ', '-'), "onnx", "model.onnx")));
        }
    }

    [Theory]
    [InlineData("decoder", "--layout", "gqa")]
    [InlineData("encoder", "--pooling", "cls", "--no-normalize")]
    public void Console_writes_the_model_folder_and_returns_zero(params string[] args)
    {
        var exitCode = ForgeCommand.Run([.. args, "--preset", "tiny", "--seed", "2", "--out", _directory]);

        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(Path.Combine(_directory, "onnx", "model.onnx")));
        Assert.Equal(args.Contains("gqa"), File.Exists(Path.Combine(_directory, "genai_config.json")));
    }

    [Fact]
    public void Console_learns_the_tokenizers_from_a_given_corpus()
    {
        var corpus = Path.Combine(_directory, "corpus.txt");
        File.WriteAllText(corpus, string.Join(" ", Enumerable.Repeat("quokka wombat", 50)));
        var decoder = Path.Combine(_directory, "decoder");
        var encoder = Path.Combine(_directory, "encoder");

        Assert.Equal(0, ForgeCommand.Run(["decoder", "--corpus", corpus, "--out", decoder]));
        Assert.Equal(0, ForgeCommand.Run(["encoder", "--corpus", corpus, "--out", encoder]));

        Assert.Contains("\"Ġwombat\"", File.ReadAllText(Path.Combine(decoder, "vocab.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("\"Ġlibrary\"", File.ReadAllText(Path.Combine(decoder, "vocab.json")), StringComparison.Ordinal);
        Assert.Contains("quokka", File.ReadAllLines(Path.Combine(encoder, "vocab.txt")));
    }

    [Theory]
    [InlineData]
    [InlineData("transformer", "--out", "x")]
    [InlineData("decoder", "--layout", "paged", "--out", "x")]
    [InlineData("decoder", "--preset", "gpt5", "--out", "x")]
    [InlineData("encoder", "--seed", "-1", "--out", "x")]
    [InlineData("encoder", "--lexical")]
    [InlineData("encoder", "--out")]
    [InlineData("encoder", "--out", "x", "--colour", "blue")]
    [InlineData("decoder", "--out", "x", "--corpus", "/nonexistent/corpus.txt")]
    public void Console_rejects_bad_arguments_with_exit_code_two(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, ForgeCommand.Run(args));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("Usage:", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists("x"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
