using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using Rag.Embedding.Reranking;
using Rag.Embedding.Tests.Model;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Reference;
using Rag.TestSupport;

namespace Rag.Embedding.Tests.Reranking;

/// <summary>The forged tiny cross-encoder (seed 1), edited copies of it, and its managed reference.</summary>
internal static class RerankerFolders
{
    private static readonly Lazy<CrossEncoderReference> Seed1 = new(() => CrossEncoderReference.For(new CrossEncoderOptions()));

    public static string Default => ForgedModels.CrossEncoder();

    /// <summary>A copy whose tokenizer_config.json says <c>model_max_length</c> = <paramref name="maxLength"/>.</summary>
    public static string WithModelMaxLength(int maxLength) =>
        EncoderFolders.Variant(Default, $"cross-encoder-max-{maxLength}", dir => EditJson(Path.Combine(dir, "tokenizer_config.json"), json => json["model_max_length"] = maxLength));

    public static void EditJson(string file, Action<JsonNode> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        edit(json);
        File.WriteAllText(file, json.ToJsonString());
    }

    public static OnnxReranker Open(string folder, Action<RerankerOptions>? configure = null)
    {
        var options = new RerankerOptions { ModelPath = folder, IntraOpThreads = 1 };
        configure?.Invoke(options);
        return OnnxReranker.Load(options);
    }

    /// <summary>[CLS] query [SEP] passage [SEP] from a plain BertTokenizer over vocab.txt, the passage cut to <paramref name="maxLength"/>.</summary>
    public static (long[] Ids, long[] Types) ReferencePair(string folder, string query, string passage, int maxLength = int.MaxValue)
    {
        var tokenizer = BertTokenizer.Create(Path.Combine(folder, "vocab.txt"));
        var a = tokenizer.EncodeToIds(query, addSpecialTokens: false);
        var b = tokenizer.EncodeToIds(passage, addSpecialTokens: false).Take(maxLength - 3 - a.Count).ToArray();
        long[] ids = [tokenizer.ClassificationTokenId, .. a.Select(i => (long)i), tokenizer.SeparatorTokenId, .. b.Select(i => (long)i), tokenizer.SeparatorTokenId];
        var types = new long[ids.Length];
        Array.Fill(types, 1, a.Count + 2, b.Length + 1);
        return (ids, types);
    }

    /// <summary>sigmoid(logit) of the managed reference: what sentence-transformers' CrossEncoder.predict returns.</summary>
    public static float ReferenceScore(string folder, string query, string passage, int maxLength = int.MaxValue)
    {
        var (ids, types) = ReferencePair(folder, query, passage, maxLength);
        return ReferenceScore(ids, types);
    }

    public static float ReferenceScore(long[] ids, long[] types) => (float)(1 / (1 + Math.Exp(-Seed1.Value.Logits(ids, types)[0])));
}
