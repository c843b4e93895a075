using System.Text;

namespace Rag.Tokenizers.Tests;

/// <summary>
/// A tokenizer.model (SentencePiece BPE protobuf) written byte by byte. SentencePiece BPE merges the adjacent pair whose
/// joined piece has the highest score: "▁hi!" → ▁ h i ! → "▁h" (-2) → "▁hi" (-1), then "!" stays.
/// </summary>
public sealed class SentencePieceModelTests
{
    private static readonly (string Piece, float Score, int Type)[] Pieces =
    [
        ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("▁hi", -1, 1), ("▁h", -2, 1), ("▁", -3, 1), ("h", -4, 1), ("i", -5, 1), ("!", -6, 1),
    ];

    [Fact]
    public void A_sentencepiece_model_folder_encodes_with_bos_by_default()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("tokenizer.model"), ModelProto());
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}""");
        var tokenizer = HfTokenizer.Load(folder.Path);
        Assert.Equal([1, 3, 8], tokenizer.Encode("hi!"));
        Assert.Equal([3, 8], tokenizer.Encode("hi!", addSpecialTokens: false));
        // The literal <s> is matched as a special token and the default BOS is still added in front of it.
        Assert.Equal([1, 1, 3, 8, 2], tokenizer.Encode("<s>hi!</s>"));
        Assert.Equal("hi!", tokenizer.Decode([1, 3, 8, 2]));
        Assert.Equal(2, tokenizer.EosTokenId);
    }

    private static byte[] ModelProto()
    {
        var model = new List<byte>();
        foreach (var (piece, score, type) in Pieces)
        {
            var entry = new List<byte>();
            entry.AddRange(Bytes(1, Encoding.UTF8.GetBytes(piece)));
            entry.Add(Tag(2, 5));
            entry.AddRange(BitConverter.GetBytes(score));
            entry.AddRange(Varint(3, type));
            model.AddRange(Bytes(1, [.. entry]));
        }

        // TrainerSpec: model_type = BPE (2), unk/bos/eos ids, no pad.
        model.AddRange(Bytes(2, [.. Varint(3, 2), .. Varint(40, 0), .. Varint(41, 1), .. Varint(42, 2), .. Varint(43, -1)]));
        // NormalizerSpec: identity, add_dummy_prefix, no whitespace squeezing, escape whitespace as ▁.
        model.AddRange(Bytes(3, [.. Bytes(1, "identity"u8.ToArray()), .. Varint(3, 1), .. Varint(4, 0), .. Varint(5, 1)]));
        return [.. model];
    }

    private static byte Tag(int field, int wireType) => (byte)((field << 3) | wireType);

    private static List<byte> Varint(int field, long value)
    {
        var bytes = new List<byte>();
        bytes.AddRange(VarintValue((ulong)((field << 3) | 0)));
        bytes.AddRange(VarintValue((ulong)value));
        return bytes;
    }

    private static List<byte> Bytes(int field, byte[] payload)
    {
        var bytes = new List<byte>();
        bytes.AddRange(VarintValue((ulong)((field << 3) | 2)));
        bytes.AddRange(VarintValue((ulong)payload.Length));
        bytes.AddRange(payload);
        return bytes;
    }

    private static List<byte> VarintValue(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return bytes;
    }
}
