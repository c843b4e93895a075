using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Rag.ModelForge.Decoder;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Decoder;

public sealed class DecoderFolderTests
{
    [Fact]
    public void Genai_config_names_every_model_input_and_output_and_matches_the_graph_shapes()
    {
        var folder = ForgedModels.Decoder(DecoderLayout.Gqa);
        var genai = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "genai_config.json")))!;
        var decoder = genai["model"]!["decoder"]!;
        using var session = new InferenceSession(Path.Combine(folder, (string)decoder["filename"]!));
        var layers = (int)decoder["num_hidden_layers"]!;

        // genai_config.json names per-layer tensors with a printf pattern such as "past_key_values.%d.key".
        string Name(string section, string key, int layer) =>
            ((string)decoder[section]![key]!).Replace("%d", layer.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var expectedInputs = new[] { Name("inputs", "input_ids", 0), Name("inputs", "attention_mask", 0) }
            .Concat(Enumerable.Range(0, layers).SelectMany(l => new[] { Name("inputs", "past_key_names", l), Name("inputs", "past_value_names", l) }));
        var expectedOutputs = new[] { Name("outputs", "logits", 0) }
            .Concat(Enumerable.Range(0, layers).SelectMany(l => new[] { Name("outputs", "present_key_names", l), Name("outputs", "present_value_names", l) }));
        Assert.Equal(expectedInputs, session.InputMetadata.Keys);
        Assert.Equal(expectedOutputs, session.OutputMetadata.Keys);

        var past = session.InputMetadata["past_key_values.0.key"].Dimensions;
        Assert.Equal((int)decoder["num_key_value_heads"]!, past[1]);
        Assert.Equal((int)decoder["head_size"]!, past[3]);
        Assert.True((bool)genai["search"]!["past_present_share_buffer"]!);
        Assert.Equal((int)genai["model"]!["vocab_size"]!, session.OutputMetadata["logits"].Dimensions[2]);
    }

    [Theory]
    [InlineData(DecoderLayout.Optimum)]
    [InlineData(DecoderLayout.Gqa)]
    public void Config_json_describes_the_graph_that_was_written(DecoderLayout layout)
    {
        var folder = ForgedModels.Decoder(layout);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        using var session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"));

        var layers = session.InputMetadata.Keys.Count(k => k.EndsWith(".key", StringComparison.Ordinal));
        Assert.Equal((int)config["num_hidden_layers"]!, layers);
        Assert.Equal((int)config["num_key_value_heads"]!, session.InputMetadata["past_key_values.0.key"].Dimensions[1]);
        Assert.Equal((int)config["hidden_size"]! / (int)config["num_attention_heads"]!, session.InputMetadata["past_key_values.0.key"].Dimensions[3]);
        Assert.Equal((int)config["vocab_size"]!, session.OutputMetadata["logits"].Dimensions[2]);
        Assert.True((int)config["num_key_value_heads"]! < (int)config["num_attention_heads"]!);
        foreach (var field in new[] { "rope_theta", "rms_norm_eps", "tie_word_embeddings", "max_position_embeddings", "torch_dtype", "intermediate_size", "eos_token_id", "bos_token_id" })
        {
            Assert.NotNull(config[field]);
        }
        Assert.Equal(layout == DecoderLayout.Gqa, File.Exists(Path.Combine(folder, "genai_config.json")));
    }
}
