using Microsoft.ML.Tokenizers;
using Rag.ModelForge.Encoder;
using Rag.ModelForge.Reference;

namespace Rag.Embedding.Tests.Model;

/// <summary>
/// Token states from ModelForge's managed BERT forward pass (no ONNX Runtime) for one unpadded text, tokenized
/// independently with a plain BertTokenizer over the folder's vocab.txt.
/// </summary>
internal static class ReferenceEncoder
{
    /// <summary>Every folder used with the reference is forged with seed 1 (or copied from one that was).</summary>
    private static readonly Lazy<EncoderReference> Seed1 = new(() => EncoderReference.For(new EncoderOptions()));

    public static int HiddenSize(string folder) => Seed1.Value.Config.HiddenSize;

    /// <returns>One row of <c>hidden</c> floats per token, [CLS] and [SEP] included.</returns>
    public static float[][] TokenStates(string folder, string text, int maxTokens = int.MaxValue)
    {
        var tokenizer = BertTokenizer.Create(Path.Combine(folder, "vocab.txt"));
        var content = tokenizer.EncodeToIds(text, addSpecialTokens: false);
        long[] ids = [tokenizer.ClassificationTokenId, .. content.Take(maxTokens - 2).Select(i => (long)i), tokenizer.SeparatorTokenId];
        var states = Seed1.Value.LastHiddenState(ids);
        var hidden = Seed1.Value.Config.HiddenSize;
        return [.. Enumerable.Range(0, ids.Length).Select(t => states.AsSpan(t * hidden, hidden).ToArray())];
    }
}
