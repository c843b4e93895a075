namespace Rag.Retrieval.Extraction;

/// <summary>
/// A streaming scan of an HTML page's tags that refuses it once elements nest deeper than the budget, before
/// HtmlAgilityPack builds the tree: its parse time grows with the square of the depth (60,000 unclosed
/// <c>&lt;b&gt;</c> took 22 s), and a deep tree overflows any recursive walk. The scan follows HtmlAgilityPack's own
/// rules closely enough that real pages measure what the parser would build: void and self-closed elements do not
/// nest, a closing tag closes what was opened inside it, and an item, row or cell closes an open sibling on top.
/// </summary>
internal static class HtmlNesting
{
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex", "keygen",
        "link", "meta", "param", "source", "track", "wbr",
    };

    /// <summary>Elements whose content is text up to their own closing tag.</summary>
    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title",
    };

    /// <summary>Opening the key closes any of these left open on top of it.</summary>
    private static readonly Dictionary<string, string[]> ClosesOpen = new(StringComparer.Ordinal)
    {
        ["p"] = ["p"],
        ["li"] = ["li"],
        ["tr"] = ["td", "th", "tr"],
        ["td"] = ["td", "th"],
        ["th"] = ["td", "th"],
        ["dt"] = ["dt", "dd"],
        ["dd"] = ["dt", "dd"],
        ["option"] = ["option"],
    };

    public static void Check(string html, ExtractionBudget budget)
    {
        var open = new List<string>();
        var tags = 0;
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            if (html.AsSpan(i).StartsWith("<!--"))
            {
                i = SkipPast(html, "-->", i + 4);
                continue;
            }
            if (html[i + 1] is '!' or '?')
            {
                i = SkipPast(html, ">", i + 2);
                continue;
            }
            var closing = html[i + 1] == '/';
            var nameStart = i + (closing ? 2 : 1);
            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':' or '_'))
            {
                nameEnd++;
            }
            if (nameEnd == nameStart)
            {
                i++;
                continue;
            }
            var name = html[nameStart..nameEnd].ToLowerInvariant();
            var tagEnd = TagEnd(html, nameEnd);
            i = tagEnd + 1;
            if (closing)
            {
                var at = open.LastIndexOf(name);
                if (at >= 0)
                {
                    open.RemoveRange(at, open.Count - at);
                }
            }
            else if (RawText.Contains(name))
            {
                var end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
            }
            else if (!Void.Contains(name) && html[tagEnd - 1] != '/')
            {
                if (ClosesOpen.TryGetValue(name, out var closes))
                {
                    while (open.Count > 0 && Array.IndexOf(closes, open[^1]) >= 0)
                    {
                        open.RemoveAt(open.Count - 1);
                    }
                }
                open.Add(name);
                budget.CheckDepth(open.Count, "HTML elements");
            }
            if (++tags % 4096 == 0)
            {
                budget.CheckTime();
            }
        }
    }

    /// <summary>The index of the <c>&gt;</c> ending a tag, skipping quoted attribute values; the last index if none.</summary>
    private static int TagEnd(string html, int from)
    {
        var quote = '\0';
        for (var k = from; k < html.Length; k++)
        {
            var c = html[k];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return k;
            }
        }
        return html.Length - 1;
    }

    private static int SkipPast(string html, string marker, int from)
    {
        var at = html.IndexOf(marker, from, StringComparison.Ordinal);
        return at < 0 ? html.Length : at + marker.Length;
    }
}
