namespace Rag.Llm.Chat.Runtime;

/// <summary>Binary operators with Python's meaning.</summary>
internal static class Operators
{
    public static object? Binary(string op, object? left, object? right) => op switch
    {
        "+" => Add(left, right),
        "-" => Arithmetic(left, right, (a, b) => a - b, (a, b) => a - b),
        "*" => left is string s && right is long n ? string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, n)))
            : Arithmetic(left, right, (a, b) => a * b, (a, b) => a * b),
        "/" => Values.ToDouble(left) / Values.ToDouble(right),
        "//" => left is long && right is long ? (object)FloorDiv(Values.ToLong(left), Values.ToLong(right)) : Math.Floor(Values.ToDouble(left) / Values.ToDouble(right)),
        "%" => left is long a && right is long b ? (object)(((a % b) + b) % b) : Values.ToDouble(left) % Values.ToDouble(right),
        "**" => left is long x && right is long y && y >= 0 ? (object)(long)Math.Pow(x, y) : Math.Pow(Values.ToDouble(left), Values.ToDouble(right)),
        "~" => Values.Str(left) + Values.Str(right),
        "==" => Values.Equals(left, right),
        "!=" => !Values.Equals(left, right),
        "<" => Values.Compare(left, right) < 0,
        ">" => Values.Compare(left, right) > 0,
        "<=" => Values.Compare(left, right) <= 0,
        ">=" => Values.Compare(left, right) >= 0,
        "in" => Contains(right, left),
        "not in" => !Contains(right, left),
        _ => throw new ChatTemplateException($"Unknown operator '{op}'."),
    };

    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub && s.Contains(sub, StringComparison.Ordinal),
        IReadOnlyDictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        IReadOnlyList<object?> list => list.Any(x => Values.Equals(x, item)),
        null or Undefined => false,
        _ => throw new ChatTemplateException($"'in' needs a string, list or mapping, not {Values.TypeName(container)}."),
    };

    private static object? Add(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => a + b,
        (IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Concat(b).ToList(),
        (string, _) or (_, string) => throw new ChatTemplateException(
            $"Cannot add {Values.TypeName(left)} and {Values.TypeName(right)} (use ~ to join text)."),
        _ => Arithmetic(left, right, (a, b) => a + b, (a, b) => a + b),
    };

    private static object Arithmetic(object? left, object? right, Func<long, long, long> integer, Func<double, double, double> real) =>
        left is long or bool && right is long or bool
            ? (object)integer(Values.ToLong(left), Values.ToLong(right))
            : real(Values.ToDouble(left), Values.ToDouble(right));

    private static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);
}
