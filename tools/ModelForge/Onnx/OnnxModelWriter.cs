using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Rag.ModelForge.Onnx;

/// <summary>
/// Serializes an <see cref="OnnxGraph"/> as an ONNX <c>ModelProto</c> (field numbers from onnx.proto), streaming
/// weight bytes straight to disk. Like the PyTorch exporter, weights go to a side file <c>model.onnx_data</c> when the
/// protobuf would pass its 2 GB limit (or when asked); tensors under 1 KB stay inline either way.
/// </summary>
public static class OnnxModelWriter
{
    public const string ExternalDataFileName = "model.onnx_data";

    /// <summary>Protobuf messages cannot exceed 2 GiB; weights beyond this (leaving room for the graph) go to the side file.</summary>
    public const long InlineLimitBytes = 2L * 1024 * 1024 * 1024 - 64L * 1024 * 1024;
    private const long ExternalThresholdBytes = 1024;
    private const long ExternalAlignment = 4096;
    private const long IrVersion = 8;
    private const int GraphInitializerField = 5;

    /// <summary>
    /// Writes <paramref name="graph"/> to <paramref name="path"/>; returns whether an external data file was written
    /// (weights above <paramref name="inlineLimitBytes"/>, default <see cref="InlineLimitBytes"/>, or when forced).
    /// </summary>
    public static bool Write(OnnxGraph graph, string path, bool forceExternalData = false, long inlineLimitBytes = InlineLimitBytes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var totalBytes = graph.Initializers.Sum(i => i.ByteLength);
        var external = forceExternalData || totalBytes > inlineLimitBytes;
        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ExternalDataFileName);
        File.Delete(dataPath);

        var tensors = external ? WriteExternalData(graph.Initializers, dataPath) : graph.Initializers.Select(Inline).ToList();
        var graphFields = GraphFields(graph);
        var graphLength = graphFields.Sum(f => FieldSize(f.Field, f.Bytes.LongLength))
            + tensors.Sum(t => FieldSize(GraphInitializerField, t.MessageLength));

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using (var output = new CodedOutputStream(file, leaveOpen: true))
        {
            var header = new ProtoBuffer().Varint(1, IrVersion).Text(2, "Rag.ModelForge").Text(3, "1.0");
            foreach (var (domain, version) in graph.Opsets)
            {
                header.Message(8, new ProtoBuffer().Text(1, domain).Varint(2, version));
            }
            // CodedOutputStream writes tags and lengths; pre-encoded messages and weights go straight to the file after a flush.
            void Raw(ReadOnlySpan<byte> bytes)
            {
                output.Flush();
                file.Write(bytes);
            }
            Raw(header.ToArray());
            WriteLengthPrefix(output, 7, graphLength);
            foreach (var (field, bytes) in graphFields)
            {
                WriteLengthPrefix(output, field, bytes.LongLength);
                Raw(bytes);
            }
            foreach (var tensor in tensors)
            {
                WriteLengthPrefix(output, GraphInitializerField, tensor.MessageLength);
                Raw(tensor.Header);
                if (tensor.Inline is { } inline)
                {
                    WriteLengthPrefix(output, 9, inline.ByteLength);
                    Raw(RawBytes(inline));
                }
            }
        }
        return external;
    }

    private sealed record TensorMessage(byte[] Header, Initializer? Inline)
    {
        public long MessageLength => Header.LongLength + (Inline is null ? 0 : FieldSize(9, Inline.ByteLength));
    }

    private static TensorMessage Inline(Initializer initializer) => new(TensorHeader(initializer).ToArray(), initializer);

    private static List<TensorMessage> WriteExternalData(IReadOnlyList<Initializer> initializers, string dataPath)
    {
        var messages = new List<TensorMessage>(initializers.Count);
        using var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        foreach (var initializer in initializers)
        {
            if (initializer.ByteLength < ExternalThresholdBytes)
            {
                messages.Add(Inline(initializer));
                continue;
            }
            var offset = (data.Position + ExternalAlignment - 1) / ExternalAlignment * ExternalAlignment;
            data.SetLength(offset);
            data.Position = offset;
            data.Write(RawBytes(initializer));
            var header = TensorHeader(initializer)
                .Message(13, Entry("location", ExternalDataFileName))
                .Message(13, Entry("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Message(13, Entry("length", initializer.ByteLength.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Varint(14, 1);
            messages.Add(new TensorMessage(header.ToArray(), null));
        }
        return messages;
    }

    private static ProtoBuffer Entry(string key, string value) => new ProtoBuffer().Text(1, key).Text(2, value);

    private static ProtoBuffer TensorHeader(Initializer initializer)
    {
        var tensor = new ProtoBuffer();
        foreach (var dim in initializer.Dims)
        {
            tensor.Varint(1, dim);
        }
        return tensor.Varint(2, (long)initializer.Type).Text(8, initializer.Name);
    }

    private static ReadOnlySpan<byte> RawBytes(Initializer initializer) => initializer.Data switch
    {
        float[] floats => MemoryMarshal.AsBytes(floats.AsSpan()),
        long[] longs => MemoryMarshal.AsBytes(longs.AsSpan()),
        int[] ints => MemoryMarshal.AsBytes(ints.AsSpan()),
        _ => throw new NotSupportedException($"Initializer {initializer.Name} holds {initializer.Data.GetType()}."),
    };

    private static List<(int Field, byte[] Bytes)> GraphFields(OnnxGraph graph)
    {
        var fields = new List<(int, byte[])>();
        fields.AddRange(graph.Nodes.Select(n => (1, NodeMessage(n).ToArray())));
        fields.Add((2, System.Text.Encoding.UTF8.GetBytes(graph.Name)));
        fields.AddRange(graph.Inputs.Select(v => (11, ValueInfoMessage(v).ToArray())));
        fields.AddRange(graph.Outputs.Select(v => (12, ValueInfoMessage(v).ToArray())));
        return fields;
    }

    private static ProtoBuffer NodeMessage(Node node)
    {
        var message = new ProtoBuffer();
        foreach (var input in node.Inputs)
        {
            message.Text(1, input);
        }
        foreach (var output in node.Outputs)
        {
            message.Text(2, output);
        }
        message.Text(3, node.Name).Text(4, node.OpType);
        foreach (var attribute in node.Attributes)
        {
            message.Message(5, AttributeMessage(attribute));
        }
        if (node.Domain.Length > 0)
        {
            message.Text(7, node.Domain);
        }
        return message;
    }

    /// <summary>A whole GraphProto in memory: for If branches, which are small because their weights live in the top graph.</summary>
    private static ProtoBuffer GraphMessage(OnnxGraph graph)
    {
        var message = new ProtoBuffer();
        foreach (var (field, bytes) in GraphFields(graph))
        {
            message.Bytes(field, bytes);
        }
        foreach (var initializer in graph.Initializers)
        {
            message.Message(GraphInitializerField, TensorHeader(initializer).Bytes(9, RawBytes(initializer)));
        }
        return message;
    }

    // AttributeProto.AttributeType: FLOAT = 1, INT = 2, STRING = 3, GRAPH = 5, INTS = 7.
    private static ProtoBuffer AttributeMessage(AttributeValue attribute)
    {
        var message = new ProtoBuffer().Text(1, attribute.Name);
        if (attribute.Graph is { } graph)
        {
            return message.Message(6, GraphMessage(graph)).Varint(20, 5);
        }
        if (attribute.Real is { } f)
        {
            return message.Float(2, f).Varint(20, 1);
        }
        if (attribute.Whole is { } i)
        {
            return message.Varint(3, i).Varint(20, 2);
        }
        if (attribute.Text is { } s)
        {
            return message.Text(4, s).Varint(20, 3);
        }
        foreach (var value in attribute.Wholes ?? throw new ArgumentException($"Attribute {attribute.Name} has no value."))
        {
            message.Varint(8, value);
        }
        return message.Varint(20, 7);
    }

    private static ProtoBuffer ValueInfoMessage(ValueInfo value)
    {
        var shape = new ProtoBuffer();
        foreach (var dim in value.Shape)
        {
            shape.Message(1, dim.Param is { } param ? new ProtoBuffer().Text(2, param) : new ProtoBuffer().Varint(1, dim.Value!.Value));
        }
        var tensorType = new ProtoBuffer().Varint(1, (long)value.Type).Message(2, shape);
        return new ProtoBuffer().Text(1, value.Name).Message(2, new ProtoBuffer().Message(1, tensorType));
    }

    private static long FieldSize(int field, long length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeRawVarint64Size((ulong)length) + length;

    private static void WriteLengthPrefix(CodedOutputStream output, int field, long length)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteUInt64((ulong)length);
    }
}
