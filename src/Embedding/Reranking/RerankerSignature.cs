using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Embedding.Loading;

namespace Rag.Embedding.Reranking;

/// <summary>
/// The inputs and output of a sequence-classification graph: token inputs by name as an encoder's, and the float
/// output <c>logits</c> <c>[batch, 1]</c>. One row per pair has the shape of a pooled embedding of width 1, so the
/// embedder's batch tensors serve as they are.
/// </summary>
internal static class RerankerSignature
{
    private const string Logits = "logits";

    public static ModelSignature Read(InferenceSession session, string modelFile)
    {
        var inputs = ModelSignature.ReadInputs(session, modelFile, "a cross-encoder");
        if (!session.OutputMetadata.TryGetValue(Logits, out var output))
        {
            throw new NotSupportedException(
                $"'{modelFile}' has no '{Logits}' output (it has {string.Join(", ", session.OutputMetadata.Keys.Select(k => $"'{k}'"))}): a reranker needs a sequence-classification export.");
        }
        if (output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 2)
        {
            throw new NotSupportedException($"'{modelFile}': output '{Logits}' must be a float tensor [batch, labels].");
        }
        if (output.Dimensions[1] != 1)
        {
            throw new NotSupportedException(
                $"'{modelFile}': output '{Logits}' has {output.Dimensions[1]} labels; a reranker needs a one-label model whose logit is the relevance.");
        }
        return new ModelSignature { Inputs = inputs, OutputName = Logits, OutputIsPooled = true, OutputWidth = 1 };
    }
}
