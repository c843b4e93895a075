using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Rag.ModelForge.Onnx;

/// <summary>
/// Builds one protobuf message in memory by field number (wire format written directly), so the ONNX schema needs
/// no generated classes. Only the small messages (nodes, shapes, tensor headers) go through here; weight bytes are
/// streamed by <see cref="OnnxModelWriter"/>.
/// </summary>
internal sealed class ProtoBuffer
{
    private const int VarintType = 0;
    private const int LengthDelimitedType = 2;
    private const int Fixed32Type = 5;

    private readonly ArrayBufferWriter<byte> _bytes = new();

    public ProtoBuffer Varint(int field, long value)
    {
        Tag(field, VarintType);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoBuffer Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        BinaryPrimitives.WriteSingleLittleEndian(_bytes.GetSpan(4), value);
        _bytes.Advance(4);
        return this;
    }

    public ProtoBuffer Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBuffer Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        WriteVarint((ulong)value.Length);
        _bytes.Write(value);
        return this;
    }

    public ProtoBuffer Message(int field, ProtoBuffer message) => Bytes(field, message._bytes.WrittenSpan);

    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }
        _bytes.Write([(byte)value]);
    }
}
