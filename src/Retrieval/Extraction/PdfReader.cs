using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Core;

namespace Rag.Retrieval.Extraction;

/// <summary>Text of each PDF page in reading order, pages separated by a blank line, page ranges kept.</summary>
internal static class PdfReader
{
    public static ExtractedDocument Read(ReadOnlyMemory<byte> content, ExtractionBudget budget)
    {
        var fileName = budget.FileName;
        try
        {
            PdfPreflight.Check(content, budget);
            using var pdf = PdfDocument.Open(content.ToArray());
            budget.CheckPages(pdf.NumberOfPages);
            var text = new System.Text.StringBuilder();
            var pages = new List<TextPage>();
            for (var number = 1; number <= pdf.NumberOfPages; number++)
            {
                budget.CheckTime();
                var pageText = ContentOrderTextExtractor.GetText(pdf.GetPage(number)).Trim();
                if (pageText.Length == 0)
                {
                    continue;
                }
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }
                pages.Add(new TextPage(number, text.Length, text.Length + pageText.Length));
                text.Append(pageText);
                budget.CheckCharacters(text.Length);
            }
            return new ExtractedDocument(text.ToString(), SourceFormat.Pdf, [new TextSection(0, text.Length, [])], pages);
        }
        catch (Exception ex) when (ex is PdfDocumentStackDepthException or InsufficientExecutionStackException)
        {
            // PdfPig's own guards against deep recursion: nesting the preflight cannot see (inside a compressed
            // content or object stream) ends here, as a document problem, permanent, rather than a 500 and a retry.
            throw budget.DepthExceeded("PDF objects");
        }
        catch (Exception ex) when (ex is PdfDocumentFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new UnreadableDocumentException(fileName, $"'{fileName}' is not a readable PDF: {ex.Message}", ex);
        }
    }
}
