using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Onnx;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Encoder;

public sealed class CrossEncoderOnnxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const float Tolerance = 1e-5f;

    private static readonly (string Query, string Passage)[] Pairs =
    [
        ("How long should the soup boil?", "Let the soup boil gently for twenty minutes."),
        ("How long should the soup boil?", "Stock markets fell sharply."),
        ("Does pgvector work with PostgreSQL?", "Install pgvector to add similarity search to PostgreSQL, then create an index on the table."),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Onnx_runtime_logits_of_a_padded_pair_batch_equal_the_managed_reference(int labels)
    {
        var options = new CrossEncoderOptions(Labels: labels);
        var folder = ForgedModels.CrossEncoder(options);
        var pairs = Pairs.Select(p => Encode(folder, p.Query, p.Passage)).ToArray();
        var width = pairs.Max(p => p.Ids.Length);
        Assert.True(pairs.Select(p => p.Ids.Length).Distinct().Count() > 1, "rows of different lengths exercise the padding mask");

        var ids = new long[pairs.Length * width];
        var mask = new long[pairs.Length * width];
        var types = new long[pairs.Length * width];
        for (var b = 0; b < pairs.Length; b++)
        {
            pairs[b].Ids.CopyTo(ids, b * width);
            pairs[b].Types.CopyTo(types, b * width);
            Array.Fill(mask, 1, b * width, pairs[b].Ids.Length);
        }
        using var session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"));
        var logits = Tensors.Run(session, new Dictionary<string, OrtValue>
        {
            ["input_ids"] = Tensors.Int64(ids, pairs.Length, width),
            ["attention_mask"] = Tensors.Int64(mask, pairs.Length, width),
            ["token_type_ids"] = Tensors.Int64(types, pairs.Length, width),
        })["logits"];

        Assert.Equal([pairs.Length, (long)labels], logits.Shape);
        var reference = CrossEncoderReference.For(options);
        for (var b = 0; b < pairs.Length; b++)
        {
            var expected = reference.Logits(pairs[b].Ids, pairs[b].Types);
            var difference = Tensors.MaxAbsDifference(logits.Data.AsSpan(b * labels, labels), expected);
            output.WriteLine($"pair {b}: logits {string.Join(", ", expected)}; max |ORT − reference| = {difference:E2}");
            Assert.InRange(difference, 0f, Tolerance);
        }
        Assert.True(logits.Data.Distinct().Count() == logits.Data.Length, "different pairs get different logits");
    }

    [Fact]
    public void Second_segment_token_types_change_the_logit()
    {
        var options = new CrossEncoderOptions();
        var reference = CrossEncoderReference.For(options);
        var pair = Encode(ForgedModels.CrossEncoder(options), Pairs[0].Query, Pairs[0].Passage);
        var withTypes = reference.Logits(pair.Ids, pair.Types)[0];
        var allZero = reference.Logits(pair.Ids, new long[pair.Ids.Length])[0];
        Assert.True(Math.Abs(withTypes - allZero) > 1e-3, $"{withTypes} vs {allZero}");
    }

    [Fact]
    public void Cross_encoder_shares_the_sentence_encoder_weights_of_the_same_seed()
    {
        var crossEncoder = CrossEncoderForge.Create(new CrossEncoderOptions(Seed: 3)).Encoder;
        var sentenceEncoder = EncoderForge.Create(new EncoderOptions(Seed: 3)).Weights;
        Assert.Equal(sentenceEncoder.WordEmbeddings, crossEncoder.WordEmbeddings);
        Assert.Equal(sentenceEncoder.Layers[^1].OutputNormBias, crossEncoder.Layers[^1].OutputNormBias);
        Assert.NotEqual(
            CrossEncoderForge.Create(new CrossEncoderOptions(Seed: 3)).Head.Classifier,
            CrossEncoderForge.Create(new CrossEncoderOptions(Seed: 4)).Head.Classifier);
    }

    [Fact]
    public void Cross_encoder_folder_is_a_sequence_classification_model_without_sentence_transformers_modules()
    {
        var folder = ForgedModels.CrossEncoder();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal("BertForSequenceClassification", (string)config["architectures"]![0]!);
        Assert.Equal("LABEL_0", (string)config["id2label"]!["0"]!);
        Assert.Single(config["id2label"]!.AsObject());
        foreach (var absent in new[] { "modules.json", "sentence_bert_config.json", "1_Pooling", "2_Normalize" })
        {
            Assert.False(Path.Exists(Path.Combine(folder, absent)), absent);
        }
        foreach (var file in new[] { "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "onnx/model.onnx" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }
        using var session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"));
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputMetadata.Keys);
        Assert.Equal(["logits"], session.OutputMetadata.Keys);
    }

    /// <summary>[CLS] query [SEP] passage [SEP]; types 0 through the first [SEP], 1 after.</summary>
    private static (long[] Ids, long[] Types) Encode(string folder, string query, string passage)
    {
        var tokenizer = EncoderOnnxTests.Tokenizer(folder);
        var a = tokenizer.EncodeToIds(query, addSpecialTokens: false);
        var b = tokenizer.EncodeToIds(passage, addSpecialTokens: false);
        long[] ids = [tokenizer.ClassificationTokenId, .. a.Select(i => (long)i), tokenizer.SeparatorTokenId, .. b.Select(i => (long)i), tokenizer.SeparatorTokenId];
        var types = new long[ids.Length];
        Array.Fill(types, 1, a.Count + 2, b.Count + 1);
        return (ids, types);
    }
}
