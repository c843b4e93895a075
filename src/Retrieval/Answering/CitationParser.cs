using System.Globalization;
using System.Text.RegularExpressions;

namespace Rag.Retrieval.Answering;

/// <summary>Finds the [n] markers (also [1, 3] and [1][2]) an answer uses, in order of first use.</summary>
public static partial class CitationParser
{
    public static IReadOnlyList<int> Parse(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var numbers = new List<int>();
        foreach (Match match in Marker().Matches(answer))
        {
            foreach (var part in match.Groups[1].Value.Split(','))
            {
                if (int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && !numbers.Contains(n))
                {
                    numbers.Add(n);
                }
            }
        }
        return numbers;
    }

    [GeneratedRegex(@"\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]")]
    private static partial Regex Marker();
}
