using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Visible text of an HTML page: one paragraph per block element, h1–h6 as section headings, navigation chrome
/// (<see cref="HtmlBoilerplate"/>) left out. The tree is walked with an explicit stack, so its depth costs heap,
/// not call stack, and the walk checks the depth budget as a second line behind <see cref="HtmlNesting"/>.
/// </summary>
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

    /// <summary>A node to visit, or (<see cref="Exit"/>) the end of a block element whose paragraph must be closed.</summary>
    private readonly record struct Step(HtmlNode Node, int Depth, bool InSection, bool Exit);

    public static ExtractedDocument Read(string html, ExtractionBudget budget)
    {
        HtmlNesting.Check(html, budget);
        var page = new HtmlDocument();
        page.LoadHtml(html);
        budget.CheckTime();
        var builder = new SectionBuilder();
        var paragraph = new StringBuilder();
        var pending = new Stack<Step>();
        PushChildren(pending, page.DocumentNode, 1, inSection: false);
        var visited = 0;
        while (pending.TryPop(out var step))
        {
            if (++visited % 1024 == 0)
            {
                budget.CheckTime();
                budget.CheckCharacters(builder.Length + paragraph.Length);
            }
            if (step.Exit)
            {
                Flush(builder, paragraph);
                continue;
            }
            var node = step.Node;
            switch (node.NodeType)
            {
                case HtmlNodeType.Text:
                    paragraph.Append(WebUtility.HtmlDecode(((HtmlTextNode)node).Text));
                    break;
                case HtmlNodeType.Element when Invisible.Contains(node.Name) || HtmlBoilerplate.IsChrome(node, step.InSection):
                    break;
                case HtmlNodeType.Element when HeadingLevel(node.Name) is int level:
                    Flush(builder, paragraph);
                    builder.AppendHeading(level, VisibleText(node));
                    break;
                case HtmlNodeType.Element:
                    budget.CheckDepth(step.Depth, "HTML elements");
                    var inSection = step.InSection || HtmlBoilerplate.IsSectioning(node);
                    if (Blocks.Contains(node.Name))
                    {
                        Flush(builder, paragraph);
                        pending.Push(step with { Exit = true });
                    }
                    PushChildren(pending, node, step.Depth + 1, inSection);
                    break;
            }
        }
        Flush(builder, paragraph);
        var (text, sections) = builder.Build();
        return new ExtractedDocument(text, SourceFormat.Html, sections, []);
    }

    /// <summary>Children in reverse, so they pop in document order.</summary>
    private static void PushChildren(Stack<Step> pending, HtmlNode node, int depth, bool inSection)
    {
        var children = node.ChildNodes;
        for (var i = children.Count - 1; i >= 0; i--)
        {
            pending.Push(new Step(children[i], depth, inSection, Exit: false));
        }
    }

    /// <summary>A heading's text, collapsed, without what is invisible inside it.</summary>
    private static string VisibleText(HtmlNode heading)
    {
        var text = new StringBuilder();
        var pending = new Stack<HtmlNode>();
        pending.Push(heading);
        while (pending.TryPop(out var node))
        {
            if (node is HtmlTextNode textNode)
            {
                text.Append(WebUtility.HtmlDecode(textNode.Text));
            }
            else if (node == heading || (node.NodeType == HtmlNodeType.Element && !Invisible.Contains(node.Name)))
            {
                for (var i = node.ChildNodes.Count - 1; i >= 0; i--)
                {
                    pending.Push(node.ChildNodes[i]);
                }
            }
        }
        return Collapse(text.ToString());
    }

    /// <summary>
    /// Ends a paragraph. Its text nodes were appended as they are, so whitespace collapses across them the way a
    /// browser renders it: <c>(&lt;acronym&gt;WAL&lt;/acronym&gt;)</c> reads "(WAL)", not "( WAL )".
    /// </summary>
    private static void Flush(SectionBuilder builder, StringBuilder paragraph)
    {
        builder.AppendParagraph(Collapse(paragraph.ToString()));
        paragraph.Clear();
    }

    private static int? HeadingLevel(string name) =>
        name.Length == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] is >= '1' and <= '6' ? name[1] - '0' : null;

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
