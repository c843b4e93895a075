using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Rag.Embedding.Loading;

/// <summary>
/// SHA-256 over an ONNX file followed by the external data files it references (the <c>location</c> entries of
/// its tensors' <c>external_data</c>, resolved beside the model as ONNX Runtime does, plus a conventional
/// <c>model.onnx_data</c>), so two exports differing only in their side-file weights never share a hash. A model
/// without external data hashes exactly as its file alone.
/// </summary>
internal static class WeightsHash
{
    private const int Chunk = 1 << 20;

    /// <summary>Longest <c>location</c> entry found across a chunk boundary.</summary>
    private const int Overlap = 4096;

    /// <summary>A protobuf StringStringEntryProto with key (field 1) "location", up to the tag of its value (field 2).</summary>
    private static ReadOnlySpan<byte> LocationEntry => "\n\blocation\u0012"u8;

    /// <summary>
    /// The model's name (<see cref="Tokenizers.Loading.ModelName"/>) and the first 16 hex digits of <see cref="Compute"/>:
    /// <c>ms-marco-MiniLM-L-6-v2@sha256:0123456789abcdef</c>.
    /// </summary>
    public static string ModelId(string folder, string onnxFile) => $"{Tokenizers.Loading.ModelName.Of(folder)}@sha256:{Compute(onnxFile)[..16]}";

    public static string Compute(string onnxFile)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var locations = new SortedSet<string>(StringComparer.Ordinal);
        AppendFile(hash, onnxFile, locations);
        var directory = Path.GetDirectoryName(Path.GetFullPath(onnxFile))!;
        locations.Add(Path.GetFileName(onnxFile) + "_data");
        foreach (var location in locations)
        {
            var file = Path.Combine(directory, location);
            if (File.Exists(file))
            {
                AppendFile(hash, file, null);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendFile(IncrementalHash hash, string file, SortedSet<string>? locations)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Overlap + Chunk);
        try
        {
            using var stream = File.OpenRead(file);
            var kept = 0;
            int read;
            while ((read = stream.Read(buffer, kept, Chunk)) > 0)
            {
                hash.AppendData(buffer, kept, read);
                if (locations is null)
                {
                    continue;
                }
                // The tail of the previous chunk is searched again, so an entry cut by the boundary is found whole.
                var window = buffer.AsSpan(0, kept + read);
                FindLocations(window, locations);
                kept = Math.Min(Overlap, window.Length);
                window[^kept..].CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void FindLocations(ReadOnlySpan<byte> window, SortedSet<string> locations)
    {
        int at;
        while ((at = window.IndexOf(LocationEntry)) >= 0)
        {
            window = window[(at + LocationEntry.Length)..];
            var length = 0;
            var shift = 0;
            var used = 0;
            while (used < window.Length && used < 3)
            {
                var b = window[used++];
                length |= (b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80)
                {
                    break;
                }
            }
            if (used == 0 || window[used - 1] >= 0x80 || used + length > window.Length)
            {
                return;
            }
            locations.Add(Encoding.UTF8.GetString(window.Slice(used, length)));
            window = window[(used + length)..];
        }
    }
}
