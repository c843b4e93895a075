using System.Text.Json.Nodes;
using Rag.Embedding.Reranking;
using Rag.Embedding.Tests.Model;
using Rag.TestSupport;

namespace Rag.Embedding.Tests.Reranking;

public sealed class RerankerLoadTests
{
    [Fact]
    public void A_folder_without_a_graph_fails_at_load_naming_the_folder_and_the_setting()
    {
        var folder = EncoderFolders.Variant(RerankerFolders.Default, "cross-encoder-no-graph", dir => Directory.Delete(Path.Combine(dir, "onnx"), recursive: true));

        var error = Assert.Throws<FileNotFoundException>(() => RerankerFolders.Open(folder));

        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("Reranker:ModelFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xlm_roberta_tokenizer_fails_at_load_naming_its_file_and_what_is_unsupported()
    {
        // bge-reranker-base's shape: no vocab.txt, a tokenizer.json whose pairs are "<s> A </s></s> B </s>".
        var folder = EncoderFolders.Variant(RerankerFolders.Default, "cross-encoder-xlm-r", dir =>
        {
            File.Delete(Path.Combine(dir, "vocab.txt"));
            RerankerFolders.EditJson(Path.Combine(dir, "tokenizer.json"), json => json["post_processor"] = new JsonObject
            {
                ["type"] = "RobertaProcessing",
                ["sep"] = new JsonArray("[SEP]", 3),
                ["cls"] = new JsonArray("[CLS]", 2),
                ["trim_offsets"] = true,
                ["add_prefix_space"] = true,
            });
        });

        var error = Assert.Throws<NotSupportedException>(() => RerankerFolders.Open(folder));

        Assert.Contains(Path.Combine(folder, "tokenizer.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("RobertaProcessing", error.Message, StringComparison.Ordinal);
        Assert.Contains("XLM-R", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sentence_embedding_graph_is_refused_naming_the_missing_logits_output()
    {
        var folder = ForgedModels.Encoder();

        var error = Assert.Throws<NotSupportedException>(() => RerankerFolders.Open(folder));

        Assert.Contains(Path.Combine(folder, "onnx", "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_label_classifier_is_refused_naming_its_label_count()
    {
        var folder = ForgedModels.CrossEncoder(labels: 3);

        var error = Assert.Throws<NotSupportedException>(() => RerankerFolders.Open(folder));

        Assert.Contains("3 labels", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_graph_fails_with_onnx_runtime_error()
    {
        var folder = EncoderFolders.Variant(RerankerFolders.Default, "cross-encoder-corrupt", dir =>
            File.WriteAllText(Path.Combine(dir, "onnx", "model.onnx"), "<html>Not Found</html>"));

        Assert.ThrowsAny<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => RerankerFolders.Open(folder));
    }

    [Theory]
    [InlineData("", null, "ModelPath")]
    [InlineData("/nonexistent/reranker", null, "Reranker:ModelPath")]
    [InlineData("<folder>", "onnx/missing.onnx", "Reranker:ModelFile")]
    public void Options_validation_names_the_bad_setting(string path, string? file, string expected)
    {
        var options = new RerankerOptions { ModelPath = path == "<folder>" ? RerankerFolders.Default : path, ModelFile = file };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.ErrorMessage!.Contains(expected, StringComparison.Ordinal));
    }
}
