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

    [Theory]
    [InlineData("none")]
    [InlineData("single-only")]
    public void A_tokenizer_json_that_does_not_frame_bert_or_xlm_r_pairs_fails_at_load_naming_it(string postProcessor)
    {
        var folder = EncoderFolders.Variant(RerankerFolders.Default, $"cross-encoder-pairs-{postProcessor}", dir =>
        {
            File.Delete(Path.Combine(dir, "vocab.txt"));
            RerankerFolders.EditJson(Path.Combine(dir, "tokenizer.json"), json =>
            {
                if (postProcessor == "none")
                {
                    json["post_processor"] = null;
                }
                else
                {
                    // A decoder-style template: pairs are the two texts back to back.
                    json["post_processor"]!["pair"] = new JsonArray(
                        new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } },
                        new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "B", ["type_id"] = 1 } });
                }
            });
        });

        var error = Assert.Throws<NotSupportedException>(() => RerankerFolders.Open(folder));

        Assert.Contains(Path.Combine(folder, "tokenizer.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains(postProcessor == "none" ? "no post_processor" : "TemplateProcessing", error.Message, StringComparison.Ordinal);
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
