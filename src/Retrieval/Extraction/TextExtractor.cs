using System.Text;

namespace Rag.Retrieval.Extraction;

/// <summary>Turns an uploaded file into text with its structure (sections, pages).</summary>
public static class TextExtractor
{
    public static ExtractedDocument Extract(string fileName, ReadOnlyMemory<byte> content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (content.IsEmpty)
        {
            throw new UnreadableDocumentException(fileName, $"'{fileName}' is empty.");
        }
        var format = FormatDetector.Detect(fileName, content.Span);
        var document = format switch
        {
            SourceFormat.PlainText => PlainTextReader.Read(DecodeText(content.Span)),
            SourceFormat.Markdown => MarkdownReader.Read(DecodeText(content.Span)),
            SourceFormat.Html => HtmlReader.Read(DecodeText(content.Span)),
            SourceFormat.Pdf => PdfReader.Read(fileName, content),
            SourceFormat.Docx => DocxReader.Read(fileName, content),
            _ => throw new UnsupportedDocumentException(fileName, $"'{fileName}': format {format} is not supported."),
        };
        return string.IsNullOrWhiteSpace(document.Text)
            ? throw new UnreadableDocumentException(fileName, $"'{fileName}' contains no extractable text" + (format == SourceFormat.Pdf ? " (a scanned PDF needs OCR first)." : "."))
            : document;
    }

    private static string DecodeText(ReadOnlySpan<byte> content) =>
        Encoding.UTF8.GetString(content.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content);
}
