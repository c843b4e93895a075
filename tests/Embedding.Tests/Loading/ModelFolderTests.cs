using Rag.Embedding.Loading;
using Rag.Embedding.Pooling;

namespace Rag.Embedding.Tests.Loading;

public sealed class ModelFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rag-embedding-folder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void A_folder_without_an_onnx_file_names_the_files_it_looked_for()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.Read(_folder));

        Assert.Contains(Path.Combine(_folder, "onnx/model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder, "model.onnx"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_quantized_variant_that_is_missing_is_named()
    {
        Write("onnx/model.onnx", "");

        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.Read(_folder, "onnx/model_qint8_avx512.onnx"));

        Assert.Contains("model_qint8_avx512.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_onnx_subfolder_wins_over_the_root_and_a_configured_variant_wins_over_both()
    {
        Write("onnx/model.onnx", "");
        Write("model.onnx", "");
        Write("onnx/model_qint8_avx512.onnx", "");

        Assert.Equal(Path.Combine(_folder, "onnx/model.onnx"), ModelFolder.Read(_folder).OnnxFile);
        Assert.Equal(Path.Combine(_folder, "onnx/model_qint8_avx512.onnx"), ModelFolder.Read(_folder, "onnx/model_qint8_avx512.onnx").OnnxFile);
    }

    [Fact]
    public void A_single_variant_is_found_without_configuration_and_several_ask_for_Embedding_ModelFile()
    {
        Write("onnx/model_qint8_avx512.onnx", "");

        Assert.Equal(Path.Combine(_folder, "onnx/model_qint8_avx512.onnx"), ModelFolder.Read(_folder).OnnxFile);

        Write("onnx/model_O4.onnx", "");
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.Read(_folder));
        Assert.Contains("model_O4.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("model_qint8_avx512.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embedding:ModelFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_names_the_vocabulary_it_looked_for()
    {
        Write("model.onnx", "");

        var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(ModelFolder.Read(_folder)));

        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sentence_transformers_configs_are_read()
    {
        Write("model.onnx", "");
        Write("sentence_bert_config.json", """{ "max_seq_length": 128, "do_lower_case": true }""");
        Write("modules.json", """
            [ { "idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer" },
              { "idx": 1, "name": "1", "path": "2_Pool", "type": "sentence_transformers.models.Pooling" },
              { "idx": 2, "name": "2", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize" } ]
            """);
        Write("2_Pool/config.json", """{ "word_embedding_dimension": 8, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false }""");
        Write("config_sentence_transformers.json", """{ "prompts": { "query": "query: ", "passage": "passage: " } }""");

        var folder = ModelFolder.Read(_folder);

        Assert.Equal(128, folder.MaxSequenceLength);
        Assert.True(folder.LowerCase);
        Assert.Equal(PoolingModes.Cls, folder.Pooling);
        Assert.True(folder.Normalize);
        Assert.Equal("query: ", folder.Prompts["query"]);
    }

    [Fact]
    public void Without_sentence_transformers_configs_it_mean_pools_without_normalizing_up_to_the_tokenizer_limit()
    {
        Write("model.onnx", "");
        Write("tokenizer_config.json", """{ "model_max_length": 256 }""");

        var folder = ModelFolder.Read(_folder);

        Assert.Equal(PoolingModes.Mean, folder.Pooling);
        Assert.False(folder.Normalize);
        Assert.Equal(256, folder.MaxSequenceLength);
    }

    [Fact]
    public void Every_pooling_flag_is_read_and_weighted_mean_is_refused()
    {
        Write("model.onnx", "");
        Write("1_Pooling/config.json", """
            { "pooling_mode_max_tokens": true, "pooling_mode_mean_sqrt_len_tokens": true, "pooling_mode_lasttoken": true }
            """);
        Assert.Equal(PoolingModes.Max | PoolingModes.MeanSqrtLength | PoolingModes.LastToken, ModelFolder.Read(_folder).Pooling);

        Write("1_Pooling/config.json", """{ "pooling_mode_weightedmean_tokens": true }""");
        Assert.Throws<NotSupportedException>(() => ModelFolder.Read(_folder));
    }
}
