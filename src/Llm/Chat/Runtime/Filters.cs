namespace Rag.Llm.Chat.Runtime;

/// <summary>The Jinja filters chat templates use.</summary>
internal static class Filters
{
    public static object? Apply(string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> keywords)
    {
        object? Arg(int index, string keyword, object? fallback = null) =>
            keywords.TryGetValue(keyword, out var k) ? k : index < args.Count ? args[index] : fallback;

        switch (name)
        {
            case "trim":
                return Values.Str(value).Trim();
            case "length" or "count":
                return Values.Length(value);
            case "tojson":
                return PythonJson.Serialize(value, Arg(0, "indent") is { } indent and not Undefined ? (int)Values.ToLong(indent) : null);
            case "lower":
                return Values.Str(value).ToLowerInvariant();
            case "upper":
                return Values.Str(value).ToUpperInvariant();
            case "capitalize":
                return Values.Capitalize(Values.Str(value));
            case "title":
                return Values.Title(Values.Str(value));
            case "string":
                return Values.Str(value);
            case "safe" or "e" or "escape" or "forceescape":
                return value;
            case "int":
                return value is string s && !long.TryParse(s, out _) ? (long)Values.ToDouble(value) : Values.ToLong(value);
            case "float":
                return Values.ToDouble(value);
            case "abs":
                return value is long l ? (object)Math.Abs(l) : Math.Abs(Values.ToDouble(value));
            case "default" or "d":
                var boolean = Values.IsTrue(Arg(1, "boolean", false));
                return value is Undefined || (boolean && !Values.IsTrue(value)) ? Arg(0, "default_value", string.Empty) : value;
            case "first":
                return Values.Iterate(value) is { Count: > 0 } first ? first[0] : Undefined.Instance;
            case "last":
                return Values.Iterate(value) is { Count: > 0 } last ? last[^1] : Undefined.Instance;
            case "list":
                return Values.Iterate(value).ToList();
            case "reverse":
                return value is string r ? new string(r.Reverse().ToArray()) : Values.Iterate(value).Reverse().ToList();
            case "join":
                var attribute = Arg(1, "attribute");
                var items = Values.Iterate(value).Select(x => attribute is string a ? Members.Attribute(x, a) : x);
                return string.Join(Values.Str(Arg(0, "d", string.Empty)), items.Select(Values.Str));
            case "replace":
                return Values.Str(value).Replace(Values.Str(Arg(0, "old")), Values.Str(Arg(1, "new")), StringComparison.Ordinal);
            case "items":
                return value is IReadOnlyDictionary<string, object?> dict
                    ? dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList()
                    : throw new ChatTemplateException("items needs a mapping.");
            case "selectattr" or "rejectattr":
                return Select(value, args, byAttribute: true, keep: name == "selectattr");
            case "select" or "reject":
                return Select(value, args, byAttribute: false, keep: name == "select");
            case "map":
                return Map(value, args, keywords);
            case "unique":
                var unique = new List<object?>();
                foreach (var item in Values.Iterate(value).Where(item => !unique.Any(u => Values.Equals(u, item))))
                {
                    unique.Add(item);
                }

                return unique;
            case "sum":
                return Values.Iterate(value).Aggregate((object?)0L, (total, x) => Operators.Binary("+", total, x));
            case "indent":
                return Indent(Values.Str(value), (int)Values.ToLong(Arg(0, "width", 4L)), Values.IsTrue(Arg(1, "first", false)));
            default:
                throw new ChatTemplateException($"Unknown template filter '{name}'.");
        }
    }

    private static List<object?> Select(object? value, IReadOnlyList<object?> args, bool byAttribute, bool keep)
    {
        var offset = byAttribute ? 1 : 0;
        var attribute = byAttribute ? Values.Str(args[0]) : null;
        var test = args.Count > offset ? Values.Str(args[offset]) : null;
        var testArgs = args.Skip(offset + 1).ToList();
        return Values.Iterate(value).Where(item =>
        {
            var subject = attribute is null ? item : Members.Attribute(item, attribute);
            var passes = test is null ? Values.IsTrue(subject) : Tests.Apply(test, subject, testArgs);
            return passes == keep;
        }).ToList();
    }

    private static List<object?> Map(object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> keywords)
    {
        if (keywords.TryGetValue("attribute", out var attribute))
        {
            var fallback = keywords.GetValueOrDefault("default", Undefined.Instance);
            return Values.Iterate(value).Select(x => Members.Attribute(x, Values.Str(attribute)) is Undefined ? fallback : Members.Attribute(x, Values.Str(attribute))).ToList();
        }

        var filter = Values.Str(args[0]);
        return Values.Iterate(value).Select(x => Apply(filter, x, args.Skip(1).ToList(), new Dictionary<string, object?>())).ToList();
    }

    private static string Indent(string text, int width, bool first)
    {
        var pad = new string(' ', width);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if ((i > 0 || first) && lines[i].Length > 0)
            {
                lines[i] = pad + lines[i];
            }
        }

        return string.Join('\n', lines);
    }
}
