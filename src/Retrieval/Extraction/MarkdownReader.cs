using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Keeps the Markdown source as the text (so offsets point into the uploaded file) and uses
/// Markdig's headings, with their source positions, for the section paths.
/// </summary>
internal static class MarkdownReader
{
    public static ExtractedDocument Read(string source)
    {
        var document = Markdown.Parse(source, new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build());
        var sections = new List<TextSection>();
        var headings = new List<(int Level, string Title)>();
        var sectionStart = 0;
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            Close(sections, headings, sectionStart, heading.Span.Start);
            headings.RemoveAll(h => h.Level >= heading.Level);
            headings.Add((heading.Level, InlineText(heading.Inline)));
            sectionStart = heading.Span.Start;
        }
        Close(sections, headings, sectionStart, source.Length);
        return new ExtractedDocument(source, SourceFormat.Markdown, sections, []);
    }

    private static void Close(List<TextSection> sections, List<(int Level, string Title)> headings, int start, int end)
    {
        if (end > start)
        {
            sections.Add(new TextSection(start, end, headings.Select(h => h.Title).ToArray()));
        }
    }

    private static string InlineText(ContainerInline? inline) =>
        inline is null
            ? string.Empty
            : string.Concat(inline.Descendants<LiteralInline>().Select(l => l.Content.ToString())).Trim();
}
