using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Xml;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Checks a DOCX package before the OpenXml SDK opens it: what its parts expand to (a ZIP part can expand a
/// thousandfold) and how deep its XML nests (the SDK builds its element tree recursively, so tens of thousands of
/// nested content controls in a 6 KB file overflowed the stack). Every part is read through once with a
/// streaming <see cref="XmlReader"/>, counting the bytes it really expands to rather than trusting the sizes the
/// archive declares. All parts, whatever their names: [Content_Types].xml, not the extension, decides which part
/// the SDK parses as XML. A part that is not XML (an image) fails within a few bytes and is then only counted.
/// </summary>
internal static class DocxPackage
{
    private static readonly XmlReaderSettings Scan = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    public static void Check(ReadOnlyMemory<byte> content, ExtractionBudget budget)
    {
        using var archive = new ZipArchive(ReadOnlyStream(content), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            budget.CheckTime();
            using var expanded = new BudgetedStream(entry.Open(), budget);
            try
            {
                CheckXml(expanded, budget);
            }
            catch (XmlException)
            {
                // Not XML, or broken XML that the SDK will refuse: every element before the error was depth-checked.
                expanded.CopyTo(Stream.Null);
            }
        }
    }

    /// <summary>A stream over the upload's own array where there is one: a DOCX may be tens of megabytes.</summary>
    public static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static void CheckXml(Stream expanded, ExtractionBudget budget)
    {
        using var reader = XmlReader.Create(expanded, Scan);
        var elements = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                budget.CheckDepth(reader.Depth + 1, "XML elements");
                if (++elements % 4096 == 0)
                {
                    budget.CheckTime();
                }
            }
        }
    }

    /// <summary>A read-only stream that charges every byte it yields to the decompression budget.</summary>
    private sealed class BudgetedStream(Stream inner, ExtractionBudget budget) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            budget.AddDecompressed(read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
