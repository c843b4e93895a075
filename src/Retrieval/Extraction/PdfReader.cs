using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Core;

namespace Rag.Retrieval.Extraction;

/// <summary>Text of each PDF page in reading order, pages separated by a blank line, page ranges kept.</summary>
internal static class PdfReader
{
    public static ExtractedDocument Read(string fileName, ReadOnlyMemory<byte> content)
    {
        try
        {
            using var pdf = PdfDocument.Open(content.ToArray());
            var text = new System.Text.StringBuilder();
            var pages = new List<TextPage>();
            foreach (var page in pdf.GetPages())
            {
                var pageText = ContentOrderTextExtractor.GetText(page).Trim();
                if (pageText.Length == 0)
                {
                    continue;
                }
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }
                pages.Add(new TextPage(page.Number, text.Length, text.Length + pageText.Length));
                text.Append(pageText);
            }
            return new ExtractedDocument(text.ToString(), SourceFormat.Pdf, [new TextSection(0, text.Length, [])], pages);
        }
        catch (Exception ex) when (ex is PdfDocumentFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new UnreadableDocumentException(fileName, $"'{fileName}' is not a readable PDF: {ex.Message}", ex);
        }
    }
}
