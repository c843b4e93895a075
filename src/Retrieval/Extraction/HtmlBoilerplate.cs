using HtmlAgilityPack;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Page chrome that is not the document: site navigation, the page's banner and footer, DocBook's
/// "Prev / Up / Home / Next" bars (the PostgreSQL manual's <c>navheader</c>/<c>navfooter</c>) and skip links.
/// Kept, each becomes chunks of its own that share words with every question and outrank real text.
/// </summary>
internal static class HtmlBoilerplate
{
    private static readonly HashSet<string> ChromeRoles = new(StringComparer.OrdinalIgnoreCase) { "navigation", "banner", "contentinfo" };

    private static readonly HashSet<string> ChromeClasses = new(StringComparer.OrdinalIgnoreCase) { "navheader", "navfooter" };

    /// <summary>
    /// Elements that scope a <c>header</c>/<c>footer</c> to themselves, as in HTML's definition: inside them
    /// a header is an article's or section's own (its title, byline), not the page's banner.
    /// </summary>
    private static readonly HashSet<string> Sectioning = new(StringComparer.OrdinalIgnoreCase) { "article", "section", "aside", "main" };

    public static bool IsSectioning(HtmlNode element) => Sectioning.Contains(element.Name);

    /// <param name="inSection">Whether an ancestor is an article, section, aside or main.</param>
    public static bool IsChrome(HtmlNode element, bool inSection)
    {
        var name = element.Name;
        if (name.Equals("nav", StringComparison.OrdinalIgnoreCase)
            || (!inSection && (name.Equals("header", StringComparison.OrdinalIgnoreCase) || name.Equals("footer", StringComparison.OrdinalIgnoreCase)))
            || ChromeRoles.Contains(element.GetAttributeValue("role", string.Empty)))
        {
            return true;
        }
        var classes = element.GetAttributeValue("class", string.Empty);
        return HasChromeClass(classes) || (name.Equals("a", StringComparison.OrdinalIgnoreCase) && IsSkipLink(element, classes));
    }

    private static bool HasChromeClass(string classes)
    {
        foreach (var range in classes.AsSpan().SplitAny(" \t\r\n\f"))
        {
            if (ChromeClasses.Contains(classes[range]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>"Skip to main content": an in-page link that says so, or is classed so.</summary>
    private static bool IsSkipLink(HtmlNode link, string classes) =>
        link.GetAttributeValue("href", string.Empty).StartsWith('#')
        && (classes.Contains("skip", StringComparison.OrdinalIgnoreCase)
            || link.InnerText.TrimStart().StartsWith("skip", StringComparison.OrdinalIgnoreCase));
}
