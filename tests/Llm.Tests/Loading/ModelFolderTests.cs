using Rag.Llm.Loading;

namespace Rag.Llm.Tests.Loading;

public class ModelFolderTests
{
    private const string LlamaConfig = """
        {"model_type":"llama","vocab_size":49152,"hidden_size":576,"num_attention_heads":9,"num_key_value_heads":3,
         "num_hidden_layers":30,"max_position_embeddings":8192,"bos_token_id":1,"eos_token_id":2}
        """;

    [Fact]
    public void Config_and_generation_config_give_shape_eos_ids_and_default_sampling()
    {
        using var dir = new TempFolder();
        dir.Write("config.json", LlamaConfig);
        dir.Write("generation_config.json", """{"eos_token_id":[2,7],"do_sample":true,"temperature":0.6,"top_p":0.9}""");
        var decoder = dir.Write("onnx/model.onnx", "");

        var folder = ModelFolder.Open(dir.Path);

        Assert.Equal(decoder, folder.DecoderPath);
        var c = folder.Config;
        Assert.Equal(("llama", 49152, 30, 3, 64, 8192), (c.ModelType, c.VocabSize, c.NumLayers, c.NumKeyValueHeads, c.HeadDim, c.ContextLength));
        Assert.Equal([2, 7], c.EosTokenIds);
        Assert.Equal(1, c.BosTokenId);
        Assert.Equal((0.6f, 0.9f, 50), (c.DefaultSampling.Temperature, c.DefaultSampling.TopP, c.DefaultSampling.TopK));
        Assert.False(c.PastPresentShareBuffer);
    }

    [Fact]
    public void Without_do_sample_the_default_is_greedy_and_model_onnx_at_the_root_is_found()
    {
        using var dir = new TempFolder();
        dir.Write("config.json", LlamaConfig);
        var decoder = dir.Write("model.onnx", "");

        var folder = ModelFolder.Open(dir.Path);

        Assert.Equal(decoder, folder.DecoderPath);
        Assert.True(folder.Config.DefaultSampling.IsGreedy);
        Assert.Equal([2], folder.Config.EosTokenIds);
    }

    [Fact]
    public void A_genai_folder_names_its_decoder_and_shares_the_kv_buffer()
    {
        using var dir = new TempFolder();
        dir.Write("genai_config.json", """
            {"model":{"type":"llama","vocab_size":100,"context_length":512,"eos_token_id":[5,6],
              "decoder":{"filename":"decoder.onnx","head_size":16,"hidden_size":64,"num_attention_heads":4,
                         "num_key_value_heads":2,"num_hidden_layers":2}},
             "search":{"past_present_share_buffer":true,"max_length":512,"do_sample":true,"temperature":0.7,"top_k":40,"top_p":0.9}}
            """);
        var decoder = dir.Write("decoder.onnx", "");

        var folder = ModelFolder.Open(dir.Path);

        Assert.Equal(decoder, folder.DecoderPath);
        Assert.Equal((100, 2, 2, 16, 512), (folder.Config.VocabSize, folder.Config.NumLayers, folder.Config.NumKeyValueHeads, folder.Config.HeadDim, folder.Config.ContextLength));
        Assert.Equal([5, 6], folder.Config.EosTokenIds);
        Assert.True(folder.Config.PastPresentShareBuffer);
        // Without a generation_config.json, the sampling defaults come from genai_config.json's "search".
        Assert.Equal((0.7f, 0.9f, 40), (folder.Config.DefaultSampling.Temperature, folder.Config.DefaultSampling.TopP, folder.Config.DefaultSampling.TopK));
    }

    [Fact]
    public void A_single_variant_is_found_without_configuration_and_several_ask_for_Llm_ModelFile()
    {
        using var dir = new TempFolder();
        dir.Write("config.json", LlamaConfig);
        var q4 = dir.Write("onnx/model_q4.onnx", "");

        Assert.Equal(q4, ModelFolder.Open(dir.Path).DecoderPath);

        var fp16 = dir.Write("onnx/model_fp16.onnx", "");
        var several = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path));
        Assert.Contains("onnx/model_fp16.onnx, onnx/model_q4.onnx", several.Message, StringComparison.Ordinal);
        Assert.Contains("Llm:ModelFile", several.Message, StringComparison.Ordinal);
        Assert.Equal(fp16, ModelFolder.Open(dir.Path, "onnx/model_fp16.onnx").DecoderPath);
        Assert.Contains("model_int8.onnx", Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path, "onnx/model_int8.onnx")).Message, StringComparison.Ordinal);

        // The usual name still wins over variants beside it.
        var standard = dir.Write("onnx/model.onnx", "");
        Assert.Equal(standard, ModelFolder.Open(dir.Path).DecoderPath);
    }

    [Fact]
    public void Missing_pieces_fail_with_the_file_named()
    {
        using var dir = new TempFolder();
        dir.Write("config.json", LlamaConfig);
        var noDecoder = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path));
        Assert.Contains("onnx/model.onnx", noDecoder.Message, StringComparison.Ordinal);

        dir.Write("model.onnx", "");
        dir.Write("config.json", """{"vocab_size":10,"hidden_size":8,"num_attention_heads":2,"max_position_embeddings":64}""");
        var noLayers = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path));
        Assert.Contains("num_hidden_layers", noLayers.Message, StringComparison.Ordinal);

        dir.Write("config.json", "{ not json");
        Assert.Contains("config.json", Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path)).Message, StringComparison.Ordinal);

        Assert.Throws<ModelLoadException>(() => ModelFolder.Open(System.IO.Path.Combine(dir.Path, "absent")));
    }
}
