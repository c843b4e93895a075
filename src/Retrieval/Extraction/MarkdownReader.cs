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
    /// <summary>Headings longer than this keep their source text: inline parsing is superlinear on hostile input.</summary>
    private const int MaxParsedTitleLength = 1_000;

    /// <summary>
    /// Blocks only: inline parsing (emphasis, links) is where pathological Markdown costs seconds and hundreds of
    /// megabytes, and only the headings' inlines are ever used, so they are parsed one title at a time.
    /// </summary>
    private static readonly MarkdownPipeline Blocks = BlocksOnly();

    private static readonly MarkdownPipeline Inlines = new MarkdownPipelineBuilder().Build();

    public static ExtractedDocument Read(string source, ExtractionBudget budget)
    {
        CheckNesting(source, budget);
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(source, Blocks);
        }
        catch (ArgumentException)
        {
            // Markdig refuses containers nested past its own depth limit (list items count twice; indentation nests too).
            throw budget.DepthExceeded("Markdown blocks");
        }
        var sections = new List<TextSection>();
        var headings = new List<(int Level, string Title)>();
        var sectionStart = 0;
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            budget.CheckTime();
            Close(sections, headings, sectionStart, heading.Span.Start);
            headings.RemoveAll(h => h.Level >= heading.Level);
            headings.Add((heading.Level, Title(heading)));
            sectionStart = heading.Span.Start;
        }
        Close(sections, headings, sectionStart, source.Length);
        return new ExtractedDocument(source, SourceFormat.Markdown, sections, []);
    }

    private static MarkdownPipeline BlocksOnly()
    {
        var builder = new MarkdownPipelineBuilder().UsePreciseSourceLocation();
        builder.InlineParsers.Clear();
        return builder.Build();
    }

    /// <summary>
    /// Counts the block quote and list markers that open each line, in Markdig's units (a list item is two levels),
    /// so a line like <c>&gt; &gt; - &gt; …</c> repeated thousands of times is refused before Markdig nests it.
    /// </summary>
    private static void CheckNesting(string source, ExtractionBudget budget)
    {
        var depth = 0;
        var inPrefix = true;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\n')
            {
                depth = 0;
                inPrefix = true;
                continue;
            }
            if (!inPrefix || c is ' ' or '\t')
            {
                continue;
            }
            if (c == '>')
            {
                depth++;
            }
            else if (c is '-' or '*' or '+' && IsMarkerEnd(source, i + 1))
            {
                depth += 2;
            }
            else if (OrderedMarkerEnd(source, i) is int end)
            {
                depth += 2;
                i = end - 1;
            }
            else
            {
                inPrefix = false;
                continue;
            }
            budget.CheckDepth(depth, "Markdown blocks");
        }
    }

    private static bool IsMarkerEnd(string source, int at) => at == source.Length || source[at] is ' ' or '\t' or '\r' or '\n';

    /// <summary>The index after an ordered list marker (<c>12.</c> or <c>3)</c>) starting at <paramref name="start"/>, if there is one.</summary>
    private static int? OrderedMarkerEnd(string source, int start)
    {
        var i = start;
        while (i < source.Length && i - start < 9 && char.IsAsciiDigit(source[i]))
        {
            i++;
        }
        return i > start && i < source.Length && source[i] is '.' or ')' && IsMarkerEnd(source, i + 1) ? i + 1 : null;
    }

    private static void Close(List<TextSection> sections, List<(int Level, string Title)> headings, int start, int end)
    {
        if (end > start)
        {
            sections.Add(new TextSection(start, end, headings.Select(h => h.Title).ToArray()));
        }
    }

    /// <summary>The heading's visible text: its source with emphasis, code and link markup parsed away.</summary>
    private static string Title(HeadingBlock heading)
    {
        var source = string.Concat(heading.Inline?.Descendants<LiteralInline>().Select(l => l.Content.ToString()) ?? []).Trim();
        if (source.Length > MaxParsedTitleLength)
        {
            return source;
        }
        try
        {
            // Parsed as a heading again, on one line (a setext heading may span several): parsed alone, "3. Installation"
            // or "- dash" would become a list and lose its marker.
            var inline = Markdown.Parse("# " + source.ReplaceLineEndings(" "), Inlines).Descendants<HeadingBlock>().First().Inline?.Descendants<LeafInline>() ?? [];
            return string.Concat(inline.Select(l => l switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                _ => string.Empty,
            })).Trim();
        }
        catch (ArgumentException)
        {
            return source;
        }
    }
}
