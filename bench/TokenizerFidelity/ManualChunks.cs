using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rag.TokenizerFidelity.Bench;

/// <summary>
/// Text chunks of an HTML manual: each page's tags removed (scripts and styles with their content), entities decoded,
/// paragraphs gathered up to about <c>maxChars</c> characters, line breaks and tabs kept as the page has them.
/// </summary>
internal static partial class ManualChunks
{
    public static List<string> Read(string directory, int maxChars)
    {
        var chunks = new List<string>();
        foreach (var page in Directory.EnumerateFiles(directory, "*.html").Order(StringComparer.Ordinal))
        {
            var text = WebUtility.HtmlDecode(Tags().Replace(Hidden().Replace(File.ReadAllText(page), " "), " "));
            var current = new StringBuilder();
            foreach (var paragraph in BlankLines().Split(text))
            {
                if (current.Length > 0 && current.Length + paragraph.Length > maxChars)
                {
                    chunks.Add(current.ToString().Trim());
                    current.Clear();
                }
                current.Append(paragraph).Append("\n\n");
            }
            if (current.ToString().Trim() is { Length: > 0 } last)
            {
                chunks.Add(last);
            }
        }
        return chunks;
    }

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\n\\s*\\n")]
    private static partial Regex BlankLines();
}
