using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Loading;

namespace Rag.Llm.Onnx;

/// <summary>What the decoder graph expects, read from the session's input and output metadata.</summary>
public sealed record DecoderLayout
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string PositionIds = "position_ids";
    public const string UseCacheBranch = "use_cache_branch";
    public const string Logits = "logits";

    public required KvLayout Kv { get; init; }
    public required int NumLayers { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    /// <summary>Int64 or Int32: the type the graph declares for input_ids (and attention_mask, position_ids).</summary>
    public required TensorElementType IdType { get; init; }
    public required TensorElementType KvType { get; init; }
    public required TensorElementType LogitsType { get; init; }
    public required bool HasAttentionMask { get; init; }
    public required bool HasPositionIds { get; init; }
    public required bool HasUseCacheBranch { get; init; }
    public required IReadOnlyList<string> PastKeyNames { get; init; }
    public required IReadOnlyList<string> PastValueNames { get; init; }
    public required IReadOnlyList<string> PresentKeyNames { get; init; }
    public required IReadOnlyList<string> PresentValueNames { get; init; }

    public int KvElementSize => KvType == TensorElementType.Float ? 4 : 2;

    /// <summary>Bytes one position occupies in one layer's key (or value) tensor.</summary>
    public long BytesPerPosition => (long)NumKeyValueHeads * HeadDim * KvElementSize;

    public static DecoderLayout Detect(
        IReadOnlyDictionary<string, NodeMetadata> inputs,
        IReadOnlyDictionary<string, NodeMetadata> outputs,
        ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(config);

        var ids = Require(inputs, InputIds, "input");
        var idType = ids.ElementDataType;
        if (idType is not (TensorElementType.Int64 or TensorElementType.Int32))
        {
            throw new ModelLoadException($"Input '{InputIds}' is {idType}; only int64 and int32 ids are supported.");
        }
        foreach (var name in new[] { AttentionMask, PositionIds })
        {
            if (inputs.TryGetValue(name, out var meta) && meta.ElementDataType != idType)
            {
                throw new ModelLoadException($"Input '{name}' is {meta.ElementDataType} while '{InputIds}' is {idType}.");
            }
        }
        if (inputs.TryGetValue(UseCacheBranch, out var branch) && branch.ElementDataType != TensorElementType.Bool)
        {
            throw new ModelLoadException($"Input '{UseCacheBranch}' is {branch.ElementDataType}; expected bool.");
        }

        var logits = Require(outputs, Logits, "output");
        var logitsType = CheckFloat(logits, Logits);

        var layers = 0;
        while (inputs.ContainsKey(PastKey(layers)))
        {
            layers++;
        }
        if (layers == 0)
        {
            throw new ModelLoadException(
                $"The graph has no '{PastKey(0)}' input: export the decoder with its KV cache (text-generation-with-past).");
        }

        var pastKeys = new string[layers];
        var pastValues = new string[layers];
        var presentKeys = new string[layers];
        var presentValues = new string[layers];
        TensorElementType? kvType = null;
        var shared = config.PastPresentShareBuffer;
        for (var i = 0; i < layers; i++)
        {
            pastKeys[i] = PastKey(i);
            pastValues[i] = $"past_key_values.{i}.value";
            presentKeys[i] = $"present.{i}.key";
            presentValues[i] = $"present.{i}.value";
            foreach (var (name, table, kind) in new[]
            {
                (pastKeys[i], inputs, "input"), (pastValues[i], inputs, "input"),
                (presentKeys[i], outputs, "output"), (presentValues[i], outputs, "output"),
            })
            {
                var type = CheckFloat(Require(table, name, kind), name);
                if (kvType is { } expected && expected != type)
                {
                    throw new ModelLoadException($"'{name}' is {type} while '{pastKeys[0]}' is {expected}.");
                }
                kvType = type;
            }
            // A graph whose present carries the same sequence dimension as its past writes in place (GQA).
            shared |= SameSequenceDim(inputs[pastKeys[i]], outputs[presentKeys[i]]);
        }

        // An input left unfed fails only at the first Run, with ONNX Runtime's "missing input"; say it at load instead.
        var fed = new HashSet<string>(pastKeys.Concat(pastValues), StringComparer.Ordinal) { InputIds, AttentionMask, PositionIds, UseCacheBranch };
        if (inputs.Keys.FirstOrDefault(name => !fed.Contains(name)) is { } unknown)
        {
            throw new ModelLoadException(
                $"The decoder graph takes input '{unknown}', which this engine does not feed (it feeds {InputIds}, {AttentionMask}, " +
                $"{PositionIds}, {UseCacheBranch} and past_key_values.*): use an Optimum, transformers.js or ONNX Runtime GenAI export.");
        }

        var pastShape = inputs[pastKeys[0]];
        return new DecoderLayout
        {
            Kv = shared ? KvLayout.Shared : KvLayout.Concat,
            NumLayers = layers,
            NumKeyValueHeads = FixedDim(pastShape, 1) ?? config.NumKeyValueHeads,
            HeadDim = FixedDim(pastShape, 3) ?? config.HeadDim,
            IdType = idType,
            KvType = kvType!.Value,
            LogitsType = logitsType,
            HasAttentionMask = inputs.ContainsKey(AttentionMask),
            HasPositionIds = inputs.ContainsKey(PositionIds),
            HasUseCacheBranch = inputs.ContainsKey(UseCacheBranch),
            PastKeyNames = pastKeys,
            PastValueNames = pastValues,
            PresentKeyNames = presentKeys,
            PresentValueNames = presentValues,
        };
    }

    private static string PastKey(int layer) => $"past_key_values.{layer}.key";

    private static NodeMetadata Require(IReadOnlyDictionary<string, NodeMetadata> table, string name, string kind) =>
        table.TryGetValue(name, out var meta)
            ? meta
            : throw new ModelLoadException($"The decoder graph has no '{name}' {kind}; it has: {string.Join(", ", table.Keys)}.");

    private static TensorElementType CheckFloat(NodeMetadata meta, string name) =>
        meta.ElementDataType is TensorElementType.Float or TensorElementType.Float16
            ? meta.ElementDataType
            : throw new ModelLoadException($"'{name}' is {meta.ElementDataType}; only float32 and float16 are supported.");

    private static int? FixedDim(NodeMetadata meta, int axis) =>
        meta.Dimensions.Length == 4 && meta.Dimensions[axis] > 0 ? meta.Dimensions[axis] : null;

    private static bool SameSequenceDim(NodeMetadata past, NodeMetadata present)
    {
        if (past.Dimensions.Length != 4 || present.Dimensions.Length != 4)
        {
            throw new ModelLoadException("KV tensors must be 4-D [batch, kv_heads, sequence, head_dim].");
        }
        var pastName = past.SymbolicDimensions[2];
        return past.Dimensions[2] > 0
            ? past.Dimensions[2] == present.Dimensions[2]
            : !string.IsNullOrEmpty(pastName) && pastName == present.SymbolicDimensions[2];
    }
}
