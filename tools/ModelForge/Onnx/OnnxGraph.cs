namespace Rag.ModelForge.Onnx;

/// <summary>The element types this forge writes (values of ONNX <c>TensorProto.DataType</c>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Names mirror ONNX TensorProto.DataType.")]
public enum OnnxDataType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Float16 = 10,
}

/// <summary>One axis of a declared shape: a fixed size or a symbolic name such as "batch_size".</summary>
public readonly record struct Axis(long? Value, string? Param)
{
    public static implicit operator Axis(int value) => new(value, null);

    public static implicit operator Axis(string param) => new(null, param);
}

/// <summary>A graph input or output with its element type and shape.</summary>
public sealed record ValueInfo(string Name, OnnxDataType Type, IReadOnlyList<Axis> Shape);

/// <summary>A node attribute; exactly one of the value members is set (<see cref="Graph"/>: an If branch).</summary>
public sealed record AttributeValue(string Name, long? Whole = null, float? Real = null, IReadOnlyList<long>? Wholes = null, string? Text = null,
    OnnxGraph? Graph = null);

public sealed record Node(string Name, string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<AttributeValue> Attributes);

/// <summary>A weight or constant. <see cref="Data"/> is a float[], long[] or int[] matching <see cref="Type"/>.</summary>
public sealed record Initializer(string Name, OnnxDataType Type, IReadOnlyList<long> Dims, Array Data)
{
    public long ByteLength => Data.LongLength * 4 * (Type == OnnxDataType.Int64 ? 2 : 1);
}

/// <summary>A complete model graph plus the operator sets it imports.</summary>
public sealed record OnnxGraph(
    string Name,
    IReadOnlyList<Node> Nodes,
    IReadOnlyList<Initializer> Initializers,
    IReadOnlyList<ValueInfo> Inputs,
    IReadOnlyList<ValueInfo> Outputs,
    IReadOnlyDictionary<string, long> Opsets);
