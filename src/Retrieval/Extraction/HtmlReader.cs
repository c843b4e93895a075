using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace Rag.Retrieval.Extraction;

/// <summary>Visible text of an HTML page: one paragraph per block element, h1–h6 as section headings.</summary>
internal static class HtmlReader
{
    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "svg", "iframe",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "li", "ul", "ol",
        "table", "tr", "blockquote", "pre", "figure", "figcaption", "dd", "dt", "dl", "br", "hr", "form",
    };

    public static ExtractedDocument Read(string html)
    {
        var page = new HtmlDocument();
        page.LoadHtml(html);
        var builder = new SectionBuilder();
        var paragraph = new StringBuilder();
        Walk(page.DocumentNode, builder, paragraph);
        builder.AppendParagraph(paragraph.ToString());
        var (text, sections) = builder.Build();
        return new ExtractedDocument(text, SourceFormat.Html, sections, []);
    }

    private static void Walk(HtmlNode node, SectionBuilder builder, StringBuilder paragraph)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child.NodeType)
            {
                case HtmlNodeType.Text:
                    AppendCollapsed(paragraph, WebUtility.HtmlDecode(child.InnerText));
                    break;
                case HtmlNodeType.Element when Invisible.Contains(child.Name):
                    break;
                case HtmlNodeType.Element when HeadingLevel(child.Name) is int level:
                    Flush(builder, paragraph);
                    builder.AppendHeading(level, Collapse(WebUtility.HtmlDecode(child.InnerText)));
                    break;
                case HtmlNodeType.Element when Blocks.Contains(child.Name):
                    Flush(builder, paragraph);
                    Walk(child, builder, paragraph);
                    Flush(builder, paragraph);
                    break;
                case HtmlNodeType.Element:
                    Walk(child, builder, paragraph);
                    break;
            }
        }
    }

    private static void Flush(SectionBuilder builder, StringBuilder paragraph)
    {
        builder.AppendParagraph(paragraph.ToString());
        paragraph.Clear();
    }

    private static int? HeadingLevel(string name) =>
        name.Length == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] is >= '1' and <= '6' ? name[1] - '0' : null;

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static void AppendCollapsed(StringBuilder paragraph, string text)
    {
        var collapsed = Collapse(text);
        if (collapsed.Length == 0)
        {
            return;
        }
        if (paragraph.Length > 0 && (char.IsWhiteSpace(text[0]) || !char.IsWhiteSpace(paragraph[^1])))
        {
            paragraph.Append(' ');
        }
        paragraph.Append(collapsed);
    }
}
