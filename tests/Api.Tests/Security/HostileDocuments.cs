using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rag.Api.Tests.Security;

/// <summary>
/// Small files built to hurt a parser, as an attacker would send them: each is generated here, at full size, so the
/// suite needs no fixtures and shows what the service survives.
/// </summary>
internal static class HostileDocuments
{
    private const int Megabyte = 1 << 20;

    public static byte[] UnclosedBoldHtml(int tags = 60_000) =>
        Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body>" + Repeat("<b>", tags) + "bold</body></html>");

    public static byte[] NestedDivHtml(int depth = 50_000) =>
        Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body>" + Repeat("<div>", depth) + "deep" + Repeat("</div>", depth) + "</body></html>");

    public static byte[] NestedQuoteMarkdown(int depth = 10_000) => Encoding.UTF8.GetBytes("# Quotes\n\n" + Repeat("> ", depth) + "deep\n");

    public static byte[] NestedListMarkdown(int depth = 400) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i * 2) + "- item\n")));

    /// <summary>100 KB of emphasis and link openers that never close: the inline parser's worst case.</summary>
    public static byte[] EmphasisMarkdown() => Encoding.UTF8.GetBytes("# Emphasis\n\n" + Repeat("*a **a _a [a ", 8_000));

    /// <summary>A real Word document whose body is <paramref name="depth"/> content controls inside each other.</summary>
    public static byte[] NestedContentControlsDocx(int depth = 30_000) =>
        WithDocumentXml(writer =>
        {
            writer.Write(Repeat("<w:sdt><w:sdtContent>", depth));
            writer.Write("<w:p><w:r><w:t>deep</w:t></w:r></w:p>");
            writer.Write(Repeat("</w:sdtContent></w:sdt>", depth));
        });

    /// <summary>A real Word document whose one paragraph expands to <paramref name="megabytes"/> MB of text.</summary>
    public static byte[] ZipBombDocx(int megabytes = 400) =>
        WithDocumentXml(writer =>
        {
            var block = new string('a', Megabyte);
            writer.Write("<w:p><w:r><w:t>");
            for (var i = 0; i < megabytes; i++)
            {
                writer.Write(block);
            }
            writer.Write("</w:t></w:r></w:p>");
        });

    /// <summary>A one-page PDF whose content stream inflates to <paramref name="megabytes"/> MB.</summary>
    public static byte[] StreamBombPdf(int megabytes = 400)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[Megabyte];
            for (var i = 0; i < megabytes; i++)
            {
                zlib.Write(zeros);
            }
        }
        return Pdf($"<< /Length {compressed.Length} /Filter /FlateDecode >>", compressed.ToArray());
    }

    /// <summary>A one-page PDF whose page dictionary holds <paramref name="depth"/> arrays inside each other.</summary>
    public static byte[] NestedArraysPdf(int depth = 200_000) =>
        Pdf("<< /Length 5 /Deep " + Repeat("[", depth) + Repeat("]", depth) + " >>", Encoding.ASCII.GetBytes("BT ET"));

    /// <summary>A one-page PDF whose compressed content stream nests <paramref name="depth"/> arrays, out of sight of a scan of the file's bytes.</summary>
    public static byte[] NestedArraysInContentPdf(int depth = 500_000)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(Encoding.ASCII.GetBytes("BT /F1 12 Tf 50 700 Td " + Repeat("[", depth) + "(deep)" + Repeat("]", depth) + " TJ ET"));
        }
        return Pdf($"<< /Length {compressed.Length} /Filter /FlateDecode >>", compressed.ToArray());
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>A document made by the OpenXml SDK, then its main part rewritten with raw XML streamed into the package.</summary>
    private static byte[] WithDocumentXml(Action<StreamWriter> writeBody)
    {
        using var package = new MemoryStream();
        using (var word = WordprocessingDocument.Create(package, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            word.AddMainDocumentPart().Document = new Document(new Body(new Paragraph(new Run(new Text("placeholder")))));
        }
        using (var zip = new ZipArchive(package, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("word/document.xml")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>""");
            writeBody(writer);
            writer.Write("</w:body></w:document>");
        }
        return package.ToArray();
    }

    /// <summary>Catalog, page tree and one page whose content stream (object 4) has this dictionary and data.</summary>
    private static byte[] Pdf(string contentDictionary, byte[] contentData)
    {
        using var pdf = new MemoryStream();
        void Write(string text) => pdf.Write(Encoding.ASCII.GetBytes(text));
        Write("%PDF-1.7\n");
        Write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        Write("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n");
        Write($"4 0 obj\n{contentDictionary}\nstream\n");
        pdf.Write(contentData);
        Write("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n");
        return pdf.ToArray();
    }
}
