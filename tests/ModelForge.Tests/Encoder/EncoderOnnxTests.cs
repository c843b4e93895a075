using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Onnx;
using Rag.TestSupport;

namespace Rag.ModelForge.Tests.Encoder;

public sealed class EncoderOnnxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    private static readonly string[] Texts =
    [
        "The cat sat on the warm mat near the window.",
        "Stock markets fell sharply.",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Onnx_runtime_hidden_states_of_a_padded_batch_equal_the_managed_reference(bool lexical)
    {
        var options = new EncoderOptions(Lexical: lexical);
        var folder = ForgedModels.Encoder(options);
        var tokenizer = Tokenizer(folder);
        var sequences = Texts.Select(t => tokenizer.EncodeToIds(t).Select(id => (long)id).ToArray()).ToArray();
        var width = sequences.Max(s => s.Length);
        Assert.NotEqual(sequences[0].Length, sequences[1].Length);

        // Right-padded with [PAD] = 0, as sentence-transformers pads.
        var ids = new long[2 * width];
        var mask = new long[2 * width];
        for (var b = 0; b < 2; b++)
        {
            sequences[b].CopyTo(ids, b * width);
            Array.Fill(mask, 1, b * width, sequences[b].Length);
        }
        using var session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"));
        var hidden = Tensors.Run(session, new Dictionary<string, OrtValue>
        {
            ["input_ids"] = Tensors.Int64(ids, 2, width),
            ["attention_mask"] = Tensors.Int64(mask, 2, width),
            ["token_type_ids"] = Tensors.Int64(new long[2 * width], 2, width),
        })["last_hidden_state"];

        var reference = EncoderReference.For(options);
        var h = reference.Config.HiddenSize;
        Assert.Equal([2L, width, h], hidden.Shape);
        for (var b = 0; b < 2; b++)
        {
            var expected = reference.LastHiddenState(sequences[b]);
            var actual = hidden.Data.AsSpan(b * width * h, sequences[b].Length * h);
            var difference = Tensors.MaxAbsDifference(actual, expected);
            output.WriteLine($"row {b}: max |ORT − reference| = {difference:E2}");
            Assert.InRange(difference, 0f, Tolerance);
        }
    }

    [Theory]
    [InlineData("How long should the soup boil?", 1, "The train to the capital leaves from platform four.", "Let the soup boil gently for twenty minutes.",
        "Investors sold shares when interest rates went up.", "A cat likes to sleep on a warm mat.")]
    [InlineData("Does pgvector work with PostgreSQL?", 2, "Kubernetes schedules containers across nodes.", "Terraform provisions cloud infrastructure.",
        "Install pgvector to add similarity search to PostgreSQL.", "Grafana dashboards visualize Prometheus metrics.")]
    public void Lexical_encoder_places_texts_sharing_content_words_closer_than_unrelated_texts(string queryText, int relatedIndex, params string[] documents)
    {
        var folder = ForgedModels.Encoder(lexical: true);
        var tokenizer = Tokenizer(folder);
        using var session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"));
        float[] Embed(string text)
        {
            var ids = tokenizer.EncodeToIds(text).Select(id => (long)id).ToArray();
            var hidden = Tensors.Run(session, new Dictionary<string, OrtValue>
            {
                ["input_ids"] = Tensors.Int64(ids, 1, ids.Length),
                ["attention_mask"] = Tensors.Int64(Enumerable.Repeat(1L, ids.Length).ToArray(), 1, ids.Length),
                ["token_type_ids"] = Tensors.Int64(new long[ids.Length], 1, ids.Length),
            })["last_hidden_state"];
            return EncoderReference.Pool(hidden.Data, ids.Length, (int)hidden.Shape[2], Pooling.Mean, normalize: true);
        }

        var query = Embed(queryText);
        var similarities = documents.Select(d => TensorPrimitives.CosineSimilarity(query, Embed(d))).ToArray();
        var best = Array.IndexOf(similarities, similarities.Max());
        var runnerUp = similarities.Where((_, i) => i != best).Max();
        output.WriteLine($"cosine to each document: {string.Join(", ", similarities.Select(x => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.Equal(relatedIndex, best);
        Assert.True(similarities[best] > 1.5 * runnerUp && similarities[best] - runnerUp > 0.1,
            $"the text sharing words scores {similarities[best]:F3}, the best unrelated text {runnerUp:F3}");
    }

    [Theory]
    [InlineData(Pooling.Mean, true)]
    [InlineData(Pooling.Cls, false)]
    public void Sentence_transformers_folder_describes_the_requested_pooling_and_normalization(Pooling pooling, bool normalize)
    {
        var folder = ForgedModels.Encoder(pooling, normalize);
        var poolingConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "1_Pooling", "config.json")))!;
        Assert.Equal(pooling == Pooling.Mean, (bool)poolingConfig["pooling_mode_mean_tokens"]!);
        Assert.Equal(pooling == Pooling.Cls, (bool)poolingConfig["pooling_mode_cls_token"]!);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal((int)config["hidden_size"]!, (int)poolingConfig["word_embedding_dimension"]!);

        var modules = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "modules.json")))!.AsArray()
            .Select(m => (string)m!["type"]!).ToArray();
        Assert.Equal(normalize, modules.Contains("sentence_transformers.models.Normalize"));
        Assert.Equal("sentence_transformers.models.Pooling", modules[1]);
        foreach (var file in new[] { "vocab.txt", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json", "special_tokens_map.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }
        Assert.Equal(File.ReadAllLines(Path.Combine(folder, "vocab.txt")).Length, (int)config["vocab_size"]!);
    }

    [Fact]
    public void Wordpiece_vocabulary_splits_unseen_words_into_pieces_without_unknown_tokens()
    {
        var folder = ForgedModels.Encoder();
        var tokenizer = Tokenizer(folder);
        var vocabulary = File.ReadAllLines(Path.Combine(folder, "vocab.txt"));
        var tokens = tokenizer.EncodeToIds("Zygomorphic quixotry, 42 times!").Select(id => vocabulary[id]).ToArray();
        Assert.DoesNotContain("[UNK]", tokens);
        Assert.Contains(tokens, t => t.StartsWith("##", StringComparison.Ordinal));
        Assert.Equal("[CLS]", tokens[0]);
        Assert.Equal("[SEP]", tokens[^1]);
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        var first = EncoderForge.Create(new EncoderOptions(Seed: 7)).Weights;
        var again = EncoderForge.Create(new EncoderOptions(Seed: 7)).Weights;
        var other = EncoderForge.Create(new EncoderOptions(Seed: 8)).Weights;
        Assert.Equal(first.WordEmbeddings, again.WordEmbeddings);
        Assert.Equal(first.Layers[^1].Output, again.Layers[^1].Output);
        Assert.NotEqual(first.WordEmbeddings, other.WordEmbeddings);
    }

    internal static BertTokenizer Tokenizer(string folder) =>
        BertTokenizer.Create(Path.Combine(folder, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true });
}
