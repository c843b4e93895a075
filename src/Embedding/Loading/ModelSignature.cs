using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Embedding.Loading;

/// <summary>What one model input is filled with.</summary>
public enum InputKind
{
    TokenIds,
    AttentionMask,
    TokenTypeIds,
    PositionIds,
}

/// <summary>
/// The inputs and output of an encoder, read from its ONNX metadata by name: <c>token_type_ids</c> and
/// <c>position_ids</c> are fed only when the graph declares them; the output is the model's own
/// <c>sentence_embedding</c> when it has one, else its token embeddings (pooled by us).
/// </summary>
public sealed record ModelSignature
{
    private static readonly Dictionary<string, InputKind> KnownInputs = new(StringComparer.Ordinal)
    {
        ["input_ids"] = InputKind.TokenIds,
        ["attention_mask"] = InputKind.AttentionMask,
        ["token_type_ids"] = InputKind.TokenTypeIds,
        ["position_ids"] = InputKind.PositionIds,
    };

    private static readonly string[] TokenOutputs = ["last_hidden_state", "token_embeddings"];

    /// <summary>Input names in the order they are bound, with what each is filled with.</summary>
    public required IReadOnlyList<(string Name, InputKind Kind)> Inputs { get; init; }

    public required string OutputName { get; init; }

    /// <summary>True when the output is already one vector per text (<c>[batch, dim]</c>).</summary>
    public required bool OutputIsPooled { get; init; }

    /// <summary>Last dimension of the output: the hidden size, or the sentence dimension when pooled.</summary>
    public required int OutputWidth { get; init; }

    public static ModelSignature Read(InferenceSession session, string modelFile, int? configHiddenSize)
    {
        var inputs = ReadInputs(session, modelFile, "an embedding encoder");
        var outputs = session.OutputMetadata;
        var (outputName, pooled) = outputs.ContainsKey("sentence_embedding")
            ? ("sentence_embedding", true)
            : (TokenOutputs.FirstOrDefault(outputs.ContainsKey)
                ?? outputs.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key
                ?? throw new NotSupportedException($"'{modelFile}' has neither a 'sentence_embedding' nor a 'last_hidden_state' output."), false);
        var output = outputs[outputName];
        if (output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != (pooled ? 2 : 3))
        {
            throw new NotSupportedException($"'{modelFile}': output '{outputName}' must be a float tensor of rank {(pooled ? 2 : 3)}.");
        }
        var width = output.Dimensions[^1] > 0
            ? output.Dimensions[^1]
            : configHiddenSize ?? throw new NotSupportedException($"'{modelFile}': the width of '{outputName}' is symbolic and config.json has no hidden_size.");
        return new ModelSignature { Inputs = inputs, OutputName = outputName, OutputIsPooled = pooled, OutputWidth = width };
    }

    /// <summary>The token inputs by name, each int64 and known; <paramref name="role"/> names the model kind in errors.</summary>
    internal static List<(string Name, InputKind Kind)> ReadInputs(InferenceSession session, string modelFile, string role)
    {
        var inputs = new List<(string, InputKind)>();
        foreach (var (name, metadata) in session.InputMetadata)
        {
            if (!KnownInputs.TryGetValue(name, out var kind))
            {
                throw new NotSupportedException($"'{modelFile}' has an input '{name}' {role} does not take.");
            }
            if (metadata.ElementDataType != TensorElementType.Int64)
            {
                throw new NotSupportedException($"'{modelFile}': input '{name}' is {metadata.ElementDataType}; int64 is expected.");
            }
            inputs.Add((name, kind));
        }
        if (!inputs.Any(i => i.Item2 == InputKind.TokenIds))
        {
            throw new NotSupportedException($"'{modelFile}' has no 'input_ids' input.");
        }
        return inputs;
    }
}
