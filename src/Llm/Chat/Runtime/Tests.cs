namespace Rag.Llm.Chat.Runtime;

/// <summary>Jinja tests (<c>x is defined</c>, <c>x is string</c>, <c>x is equalto y</c>, ...).</summary>
internal static class Tests
{
    public static bool Apply(string name, object? value, IReadOnlyList<object?> args) => name switch
    {
        "defined" => value is not Undefined,
        "undefined" => value is Undefined,
        "none" => value is null,
        "string" => value is string,
        "number" => value is long or double,
        "integer" => value is long,
        "float" => value is double,
        "boolean" => value is bool,
        "true" => value is true,
        "false" => value is false,
        "mapping" => value is IReadOnlyDictionary<string, object?>,
        "sequence" => value is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>,
        "iterable" => value is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>,
        "callable" => value is TemplateFunction,
        "even" => Values.ToLong(value) % 2 == 0,
        "odd" => Values.ToLong(value) % 2 != 0,
        "divisibleby" => Values.ToLong(value) % Values.ToLong(Argument(args, name)) == 0,
        "equalto" or "eq" or "==" => Values.Equals(value, Argument(args, name)),
        "ne" or "!=" => !Values.Equals(value, Argument(args, name)),
        "sameas" => ReferenceEquals(value, Argument(args, name)) || Values.Equals(value, Argument(args, name)) && value is null or bool,
        "lower" => value is string s && string.Equals(s, s.ToLowerInvariant(), StringComparison.Ordinal),
        "upper" => value is string u && string.Equals(u, u.ToUpperInvariant(), StringComparison.Ordinal),
        "in" => Operators.Contains(Argument(args, name), value),
        "gt" or ">" => Values.Compare(value, Argument(args, name)) > 0,
        "ge" or ">=" => Values.Compare(value, Argument(args, name)) >= 0,
        "lt" or "<" => Values.Compare(value, Argument(args, name)) < 0,
        "le" or "<=" => Values.Compare(value, Argument(args, name)) <= 0,
        _ => throw new ChatTemplateException($"Unknown template test '{name}'."),
    };

    private static object? Argument(IReadOnlyList<object?> args, string test) =>
        args.Count > 0 ? args[0] : throw new ChatTemplateException($"Test '{test}' needs an argument.");
}
