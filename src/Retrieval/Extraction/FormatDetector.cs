using System.IO.Compression;
using System.Text;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Decides a document's format from its content first (binary signatures cannot lie about
/// themselves) and its file name second (Markdown and HTML are text with a naming convention).
/// </summary>
public static class FormatDetector
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SourceFormat Detect(string fileName, ReadOnlySpan<byte> content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (content.StartsWith("%PDF-"u8))
        {
            return SourceFormat.Pdf;
        }
        if (content.StartsWith("PK\u0003\u0004"u8))
        {
            return IsWordDocument(content)
                ? SourceFormat.Docx
                : throw new UnsupportedDocumentException(fileName, $"'{fileName}' is a ZIP archive but not a Word (.docx) document; supported types are text, Markdown, HTML, PDF and DOCX.");
        }
        switch (extension)
        {
            case ".pdf":
                throw new UnreadableDocumentException(fileName, $"'{fileName}' is named like a PDF but does not start with a PDF header.");
            case ".docx":
                throw new UnreadableDocumentException(fileName, $"'{fileName}' is named like a Word document but is not a DOCX (ZIP) package.");
        }
        if (!IsText(content))
        {
            throw new UnsupportedDocumentException(fileName, $"'{fileName}' is binary content of an unsupported type; supported types are text, Markdown, HTML, PDF and DOCX.");
        }
        return extension switch
        {
            ".md" or ".markdown" => SourceFormat.Markdown,
            ".html" or ".htm" or ".xhtml" => SourceFormat.Html,
            _ when LooksLikeHtml(content) => SourceFormat.Html,
            _ => SourceFormat.PlainText,
        };
    }

    private static bool IsText(ReadOnlySpan<byte> content)
    {
        if (content.Contains((byte)0))
        {
            return false;
        }
        try
        {
            StrictUtf8.GetCharCount(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> content)
    {
        var head = Encoding.UTF8.GetString(content[..Math.Min(content.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsWordDocument(ReadOnlySpan<byte> content)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content.ToArray()), ZipArchiveMode.Read);
            return archive.GetEntry("word/document.xml") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
