using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rag.Retrieval.Extraction;

/// <summary>Paragraphs of a Word document; paragraphs styled Title/Heading1–9 (or with an outline level) are headings.</summary>
internal static class DocxReader
{
    public static ExtractedDocument Read(ReadOnlyMemory<byte> content, ExtractionBudget budget)
    {
        var fileName = budget.FileName;
        try
        {
            DocxPackage.Check(content, budget);
            using var stream = DocxPackage.ReadOnlyStream(content);
            using var word = WordprocessingDocument.Open(stream, isEditable: false);
            var body = word.MainDocumentPart?.Document?.Body
                ?? throw new UnreadableDocumentException(fileName, $"'{fileName}' has no document body.");
            var styleNames = StyleNames(word);
            var builder = new SectionBuilder();
            foreach (var paragraph in body.Descendants<Paragraph>())
            {
                budget.CheckTime();
                var text = string.Concat(paragraph.Descendants<Text>().Select(t => t.Text));
                if (HeadingLevel(styleNames, paragraph) is int level)
                {
                    builder.AppendHeading(level, text);
                }
                else
                {
                    builder.AppendParagraph(text);
                }
                budget.CheckCharacters(builder.Length);
            }
            var (extracted, sections) = builder.Build();
            return new ExtractedDocument(extracted, SourceFormat.Docx, sections, []);
        }
        catch (InsufficientExecutionStackException)
        {
            throw budget.DepthExceeded("XML elements");
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or FileFormatException)
        {
            throw new UnreadableDocumentException(fileName, $"'{fileName}' is not a readable Word document: {ex.Message}", ex);
        }
    }

    /// <summary>Style id → style name, read once rather than searched for every paragraph.</summary>
    private static Dictionary<string, string> StyleNames(WordprocessingDocument word)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var style in word.MainDocumentPart?.StyleDefinitionsPart?.Styles?.Elements<Style>() ?? [])
        {
            if (style.StyleId?.Value is { } id && style.StyleName?.Val?.Value is { } name)
            {
                names.TryAdd(id, name);
            }
        }
        return names;
    }

    private static int? HeadingLevel(Dictionary<string, string> styleNames, Paragraph paragraph)
    {
        var properties = paragraph.ParagraphProperties;
        if (properties?.OutlineLevel?.Val?.Value is int outline && outline < 9)
        {
            return outline + 1;
        }
        var styleId = properties?.ParagraphStyleId?.Val?.Value;
        if (styleId is null)
        {
            return null;
        }
        // Style ids are usually "Heading1"; documents from localized Word use the style's name instead.
        var styleName = styleNames.GetValueOrDefault(styleId, styleId);
        foreach (var candidate in new[] { styleId, styleName })
        {
            var normalized = candidate.Replace(" ", string.Empty, StringComparison.Ordinal);
            if (normalized.Equals("Title", StringComparison.OrdinalIgnoreCase))
            {
                // Above Heading1, so the document's headings nest under its title.
                return 0;
            }
            if (normalized.StartsWith("Heading", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(normalized.AsSpan("Heading".Length), out var level) && level is >= 1 and <= 9)
            {
                return level;
            }
        }
        return null;
    }
}
