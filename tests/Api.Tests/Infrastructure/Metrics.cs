using System.Globalization;

namespace Rag.Api.Tests.Infrastructure;

/// <summary>Reads one sample from Prometheus text exposition.</summary>
internal static class Metrics
{
    public static double? Value(string exposition, string name, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                if (labels.All(l => line.Contains(l, StringComparison.Ordinal)))
                {
                    var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
                    return double.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        return null;
    }
}
