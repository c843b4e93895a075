using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// One pass over a PDF's bytes before PdfPig parses it: arrays and dictionaries may not nest deeper than the
/// budget (PdfPig parses them recursively), and what the compressed streams expand to counts against the
/// decompression budget (PdfPig inflates a whole stream into memory; 204 KB expanded to 200 MB). Every stream is
/// inflated the way PdfPig's Flate filter does it — two header bytes skipped, raw deflate after them — into a
/// scratch buffer that is thrown away, so only the byte count is kept; a stream that is not deflate data fails
/// within a few bytes and costs nothing.
/// </summary>
internal static class PdfPreflight
{
    private static ReadOnlySpan<byte> StreamKeyword => "stream"u8;

    private static ReadOnlySpan<byte> EndStreamKeyword => "endstream"u8;

    public static void Check(ReadOnlyMemory<byte> content, ExtractionBudget budget)
    {
        var pdf = content.Span;
        var depth = 0;
        var steps = 0;
        var i = 0;
        while (i < pdf.Length)
        {
            if (++steps % 65536 == 0)
            {
                budget.CheckTime();
            }
            switch (pdf[i])
            {
                case (byte)'%':
                    i = LineEnd(pdf, i);
                    break;
                case (byte)'(':
                    i = LiteralStringEnd(pdf, i);
                    break;
                case (byte)'<' when i + 1 < pdf.Length && pdf[i + 1] == '<':
                case (byte)'[':
                    depth++;
                    budget.CheckDepth(depth, "PDF arrays and dictionaries");
                    i += pdf[i] == '<' ? 2 : 1;
                    break;
                case (byte)'<':
                    i = pdf[i..].IndexOf((byte)'>') is var hexEnd and >= 0 ? i + hexEnd + 1 : pdf.Length;
                    break;
                case (byte)'>' when i + 1 < pdf.Length && pdf[i + 1] == '>':
                case (byte)']':
                    depth = Math.Max(0, depth - 1);
                    i += pdf[i] == '>' ? 2 : 1;
                    break;
                case (byte)'s' when StreamDataStart(pdf, i) is int data:
                    Inflate(content[data..], budget);
                    i = pdf[data..].IndexOf(EndStreamKeyword) is var end and >= 0 ? data + end + EndStreamKeyword.Length : pdf.Length;
                    break;
                default:
                    i++;
                    break;
            }
        }
    }

    /// <summary>Where a stream's data starts when the keyword <c>stream</c> and its end of line begin at <paramref name="at"/>.</summary>
    private static int? StreamDataStart(ReadOnlySpan<byte> pdf, int at)
    {
        if (!pdf[at..].StartsWith(StreamKeyword) || (at > 0 && pdf[at - 1] is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'>' or (byte)'\t')))
        {
            return null;
        }
        var data = at + StreamKeyword.Length;
        if (data < pdf.Length && pdf[data] == '\r')
        {
            data++;
        }
        return data < pdf.Length && pdf[data] == '\n' ? data + 1 : null;
    }

    /// <summary>Inflates the deflate data after a stream's two header bytes, charging what it expands to as it grows.</summary>
    private static void Inflate(ReadOnlyMemory<byte> data, ExtractionBudget budget)
    {
        if (data.Length < 3)
        {
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var compressed = MemoryMarshal.TryGetArray(data[2..], out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(data[2..].ToArray(), writable: false);
            using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
            int read;
            while ((read = deflate.Read(buffer)) > 0)
            {
                // Charged per read: a bomb is stopped at the limit, not after it has been inflated in full.
                budget.AddDecompressed(read);
            }
        }
        catch (InvalidDataException)
        {
            // Not deflate data (an image, an uncompressed stream) or a corrupt one: PdfPig reports what matters.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int LineEnd(ReadOnlySpan<byte> pdf, int from) =>
        pdf[from..].IndexOfAny((byte)'\r', (byte)'\n') is var end and >= 0 ? from + end + 1 : pdf.Length;

    /// <summary>The index after a literal string's closing parenthesis: strings nest balanced parentheses and escape others.</summary>
    private static int LiteralStringEnd(ReadOnlySpan<byte> pdf, int from)
    {
        var open = 0;
        for (var i = from; i < pdf.Length; i++)
        {
            switch (pdf[i])
            {
                case (byte)'\\':
                    i++;
                    break;
                case (byte)'(':
                    open++;
                    break;
                case (byte)')' when --open == 0:
                    return i + 1;
            }
        }
        return pdf.Length;
    }
}
