using Rag.Llm.Loading;
using Rag.Llm.Onnx;
using Rag.ModelForge.Onnx;

namespace Rag.Llm.Tests.Onnx;

/// <summary>Graphs an exporter might write that the engine cannot run: the load fails naming the culprit.</summary>
public class LayoutErrorTests
{
    private static ModelLoadException LoadBroken(OnnxDataType idType, bool withPast, bool withPresentValue,
        OnnxDataType presentType = OnnxDataType.Float, OnnxDataType? branchType = null, string? extraInput = null)
    {
        using var dir = new TempFolder();
        dir.Write("config.json", """
            {"model_type":"llama","vocab_size":1,"hidden_size":32,"num_attention_heads":2,"num_key_value_heads":2,
             "num_hidden_layers":1,"max_position_embeddings":64,"eos_token_id":0}
            """);
        var g = new GraphBuilder("broken");
        var ids = g.Input("input_ids", idType, "batch_size", "sequence_length");
        g.Output(g.Unsqueeze(g.Cast(ids, OnnxDataType.Float), 2), "logits", OnnxDataType.Float, "batch_size", "sequence_length", 1);
        if (withPast)
        {
            var key = g.Input("past_key_values.0.key", OnnxDataType.Float, "batch_size", 2, "past_sequence_length", 16);
            var value = g.Input("past_key_values.0.value", OnnxDataType.Float, "batch_size", 2, "past_sequence_length", 16);
            g.Output(g.Cast(key, presentType), "present.0.key", presentType, "batch_size", 2, "total_sequence_length", 16);
            if (withPresentValue)
            {
                g.Output(g.Op("Identity", value), "present.0.value", OnnxDataType.Float, "batch_size", 2, "total_sequence_length", 16);
            }
        }
        if (branchType is { } type)
        {
            g.Output(g.Op("Identity", g.Input("use_cache_branch", type, 1)), "branch_taken", type, 1);
        }
        if (extraInput is not null)
        {
            g.Output(g.Op("Identity", g.Input(extraInput, OnnxDataType.Int64, 1)), "extra", OnnxDataType.Int64, 1);
        }
        OnnxModelWriter.Write(g.Build(), Path.Combine(dir.Path, "model.onnx"));

        return Assert.Throws<ModelLoadException>(() => DecoderSession.Load(ModelFolder.Open(dir.Path), ExecutionPlan.From("cpu", 0)));
    }

    [Fact]
    public void A_graph_without_present_outputs_names_the_missing_output()
    {
        var error = LoadBroken(OnnxDataType.Int64, withPast: true, withPresentValue: false);

        Assert.Contains("'present.0.value' output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_the_engine_does_not_feed_is_refused_at_load_naming_it()
    {
        var error = LoadBroken(OnnxDataType.Int64, withPast: true, withPresentValue: true, extraInput: "num_logits_to_keep");

        Assert.Contains("'num_logits_to_keep'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_exported_without_its_cache_is_refused()
    {
        var error = LoadBroken(OnnxDataType.Int64, withPast: false, withPresentValue: false);

        Assert.Contains("past_key_values.0.key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_of_an_unsupported_type_are_refused_naming_the_input()
    {
        var error = LoadBroken(OnnxDataType.Float, withPast: true, withPresentValue: true);

        Assert.Contains("'input_ids'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Present_of_another_type_than_past_is_refused_naming_it()
    {
        var error = LoadBroken(OnnxDataType.Int64, withPast: true, withPresentValue: true, presentType: OnnxDataType.Float16);

        Assert.Contains("'present.0.key' is Float16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_use_cache_branch_that_is_not_boolean_is_refused_naming_it()
    {
        var error = LoadBroken(OnnxDataType.Int64, withPast: true, withPresentValue: true, branchType: OnnxDataType.Int64);

        Assert.Contains("'use_cache_branch'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_onnx_runtime_cannot_parse_is_named()
    {
        using var dir = new TempFolder();
        dir.Write("config.json", """{"vocab_size":1,"hidden_size":8,"num_attention_heads":2,"num_hidden_layers":1,"max_position_embeddings":8}""");
        var path = dir.Write("onnx/model.onnx", "not a protobuf");

        var error = Assert.Throws<ModelLoadException>(() => DecoderSession.Load(ModelFolder.Open(dir.Path), ExecutionPlan.From("cpu", 0)));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
