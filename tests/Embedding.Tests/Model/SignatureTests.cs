using Microsoft.ML.Tokenizers;
using Rag.Embedding.Loading;
using Rag.ModelForge.Onnx;

namespace Rag.Embedding.Tests.Model;

/// <summary>
/// Encoders whose graphs differ from BERT's: the forged tiny folder with its onnx/model.onnx replaced by a small
/// bag-of-words graph (token state = a fixed row per id), built with ModelForge's graph writer.
/// </summary>
public class SignatureTests
{
    private const int Width = 8;

    private static float Table(long id, int column) => MathF.Sin(id * 0.37f + column * 1.3f);

    /// <summary>input_ids, attention_mask → last_hidden_state = Table[ids] × mask (no token_type_ids input).</summary>
    private static string WithoutTokenTypes => EncoderFolders.Variant(EncoderFolders.MeanUnnormalized, "no-token-types", dir =>
    {
        var g = new GraphBuilder("bag_of_words");
        var hidden = TokenRows(g, dir);
        g.Output(hidden, "last_hidden_state", OnnxDataType.Float, "batch_size", "sequence_length", Width);
        OnnxModelWriter.Write(g.Build(), Path.Combine(dir, "onnx", "model.onnx"));
    });

    /// <summary>Also outputs sentence_embedding = max over positions, which is not what 1_Pooling (mean) would do.</summary>
    private static string WithSentenceEmbedding => EncoderFolders.Variant(EncoderFolders.MeanUnnormalized, "sentence-embedding", dir =>
    {
        var g = new GraphBuilder("bag_of_words_pooled");
        var hidden = TokenRows(g, dir);
        g.Output(hidden, "last_hidden_state", OnnxDataType.Float, "batch_size", "sequence_length", Width);
        var pooled = g.Op("ReduceMax", [hidden], new AttributeValue("axes", Wholes: [1]), new AttributeValue("keepdims", Whole: 0));
        g.Output(pooled, "sentence_embedding", OnnxDataType.Float, "batch_size", Width);
        OnnxModelWriter.Write(g.Build(), Path.Combine(dir, "onnx", "model.onnx"));
    });

    private static string TokenRows(GraphBuilder g, string dir)
    {
        var vocabulary = File.ReadAllLines(Path.Combine(dir, "vocab.txt")).Length;
        var table = new float[vocabulary * Width];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = Table(i / Width, i % Width);
        }
        var ids = g.Input("input_ids", OnnxDataType.Int64, "batch_size", "sequence_length");
        var mask = g.Input("attention_mask", OnnxDataType.Int64, "batch_size", "sequence_length");
        var rows = g.Op("Gather", g.Weight("table", table, vocabulary, Width), ids);
        return g.Mul(rows, g.Cast(g.Unsqueeze(mask, 2), OnnxDataType.Float));
    }

    private static long[] Ids(string folder, string text)
    {
        var tokenizer = BertTokenizer.Create(Path.Combine(folder, "vocab.txt"));
        return [.. tokenizer.EncodeToIds(text).Select(i => (long)i)];
    }

    [Fact]
    public async Task A_model_without_token_type_ids_is_fed_only_the_inputs_it_declares()
    {
        var folder = WithoutTokenTypes;
        var texts = TestTexts.Varied(5);
        using var generator = EncoderFolders.Open(folder);

        var vectors = await generator.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var ids = Ids(folder, texts[i]);
            var mean = Enumerable.Range(0, Width).Select(c => ids.Average(id => Table(id, c))).ToArray();
            VectorAssert.Close(mean, vectors[i].Vector.Span);
        }
    }

    [Fact]
    public async Task A_models_own_sentence_embedding_output_is_used_as_is()
    {
        var folder = WithSentenceEmbedding;
        var text = TestTexts.Varied(2)[1];
        using var generator = EncoderFolders.Open(folder);

        var vector = (await generator.GenerateAsync([text]))[0].Vector.ToArray();

        var ids = Ids(folder, text);
        var max = Enumerable.Range(0, Width).Select(c => ids.Max(id => Table(id, c))).ToArray();
        var mean = Enumerable.Range(0, Width).Select(c => ids.Average(id => Table(id, c))).ToArray();
        VectorAssert.Close(max, vector);
        Assert.True(VectorAssert.MaxAbsDiff(mean, vector) > 1e-2f);
    }
}
