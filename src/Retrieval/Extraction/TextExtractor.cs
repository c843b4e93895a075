using System.Text;

namespace Rag.Retrieval.Extraction;

/// <summary>Turns an uploaded file into text with its structure (sections, pages), under <see cref="ExtractionOptions"/> budgets.</summary>
public static class TextExtractor
{
    /// <summary>Extracts under the default budgets.</summary>
    public static ExtractedDocument Extract(string fileName, ReadOnlyMemory<byte> content) =>
        Extract(fileName, content, new ExtractionOptions());

    /// <exception cref="ExtractionBudgetExceededException">The document exceeds one of <paramref name="budgets"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <param name="clock">Measures <see cref="ExtractionOptions.MaxTime"/>; the system clock when null.</param>
    public static ExtractedDocument Extract(
        string fileName, ReadOnlyMemory<byte> content, ExtractionOptions budgets, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(budgets);
        if (content.IsEmpty)
        {
            throw new UnreadableDocumentException(fileName, $"'{fileName}' is empty.");
        }
        var format = FormatDetector.Detect(fileName, content.Span);
        var budget = new ExtractionBudget(fileName, budgets, clock ?? TimeProvider.System, cancellationToken);
        var document = ExtractionThread.Run(() => format switch
        {
            SourceFormat.PlainText => PlainTextReader.Read(DecodeText(content.Span, budget)),
            SourceFormat.Markdown => MarkdownReader.Read(DecodeText(content.Span, budget), budget),
            SourceFormat.Html => HtmlReader.Read(DecodeText(content.Span, budget), budget),
            SourceFormat.Pdf => PdfReader.Read(content, budget),
            SourceFormat.Docx => DocxReader.Read(content, budget),
            _ => throw new UnsupportedDocumentException(fileName, $"'{fileName}': format {format} is not supported."),
        });
        budget.CheckCharacters(document.Text.Length);
        budget.CheckTime();
        return string.IsNullOrWhiteSpace(document.Text)
            ? throw new UnreadableDocumentException(fileName, $"'{fileName}' contains no extractable text" + (format == SourceFormat.Pdf ? " (a scanned PDF needs OCR first)." : "."))
            : document;
    }

    private static string DecodeText(ReadOnlySpan<byte> content, ExtractionBudget budget)
    {
        var text = content.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content;
        // UTF-8 never has fewer bytes than characters, so only a long file needs counting before it is decoded.
        if (text.Length > budget.Options.MaxCharacters)
        {
            budget.CheckCharacters(Encoding.UTF8.GetCharCount(text));
        }
        return Encoding.UTF8.GetString(text);
    }
}
