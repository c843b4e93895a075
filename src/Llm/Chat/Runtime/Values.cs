using System.Globalization;
using System.Text;

namespace Rag.Llm.Chat.Runtime;

/// <summary>Python semantics for template values: truth, str(), equality, ordering, len().</summary>
internal static class Values
{
    public static bool IsTrue(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    public static string Str(object? value) => value switch
    {
        null => "None",
        Undefined => string.Empty,
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        _ => Repr(value),
    };

    /// <summary>Python repr(), used when a list or dict is printed.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case string s:
                return "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
                    .Replace("\n", "\\n", StringComparison.Ordinal) + "'";
            case IReadOnlyDictionary<string, object?> dict:
                return "{" + string.Join(", ", dict.Select(p => Repr(p.Key) + ": " + Repr(p.Value))) + "}";
            case IReadOnlyList<object?> list:
                return "[" + string.Join(", ", list.Select(Repr)) + "]";
            default:
                return Str(value);
        }
    }

    public static string FormatFloat(double d)
    {
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || text.Contains("NaN", StringComparison.Ordinal)
            ? text.Replace("E", "e", StringComparison.Ordinal).Replace("NaN", "nan", StringComparison.Ordinal)
            : text + ".0";
    }

    public static new bool Equals(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a) == ToDouble(b);
        }

        return (a, b) switch
        {
            (null, null) => true,
            (Undefined, Undefined) => true,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y) =>
                x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && Equals(p.Value, v)),
            (IReadOnlyList<object?> x, IReadOnlyList<object?> y) => x.Count == y.Count && x.Zip(y).All(p => Equals(p.First, p.Second)),
            _ => object.Equals(a, b),
        };
    }

    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a).CompareTo(ToDouble(b));
        }

        if (a is string x && b is string y)
        {
            return string.CompareOrdinal(x, y);
        }

        throw new ChatTemplateException($"Cannot compare {TypeName(a)} with {TypeName(b)}.");
    }

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new ChatTemplateException($"Expected a number, got {TypeName(value)}."),
    };

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw new ChatTemplateException($"Expected an integer, got {TypeName(value)}."),
    };

    public static long Length(object? value) => value switch
    {
        string s => new StringInfo(s).LengthInTextElements,
        System.Collections.ICollection c => c.Count,
        Undefined or null => 0,
        _ => throw new ChatTemplateException($"{TypeName(value)} has no length."),
    };

    /// <summary>The items a for loop or filter walks: list elements, dict keys, or string chars.</summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        IReadOnlyList<object?> list => list,
        IReadOnlyDictionary<string, object?> dict => [.. dict.Keys],
        string s => [.. s.EnumerateRunes().Select(r => (object?)r.ToString())],
        null or Undefined => [],
        _ => throw new ChatTemplateException($"{TypeName(value)} is not iterable."),
    };

    public static string TypeName(object? value) => value switch
    {
        null => "none",
        Undefined => "undefined",
        string => "string",
        bool => "boolean",
        long => "integer",
        double => "float",
        IReadOnlyDictionary<string, object?> => "mapping",
        IReadOnlyList<object?> => "list",
        _ => value.GetType().Name,
    };

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        var startOfWord = true;
        foreach (var c in s)
        {
            builder.Append(startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            startOfWord = !char.IsLetterOrDigit(c);
        }

        return builder.ToString();
    }
}
