namespace Rag.Llm.Chat.Runtime;

/// <summary>Attribute and item access: <c>message.role</c>, <c>message['role']</c>, <c>list[-1]</c>, and the Python
/// methods templates call (<c>content.strip()</c>, <c>tool.items()</c>, ...).</summary>
internal static class Members
{
    public static object? Attribute(object? target, string name) => target switch
    {
        LoopInfo loop => loop.Attribute(name),
        IReadOnlyDictionary<string, object?> dict when dict.TryGetValue(name, out var value) => value,
        IReadOnlyDictionary<string, object?> dict => DictMethod(dict, name),
        string s => StringMethod(s, name),
        IReadOnlyList<object?> list => ListMethod(list, name),
        _ => Undefined.Instance,
    };

    public static object? Item(object? target, object? key) => target switch
    {
        IReadOnlyDictionary<string, object?> dict when key is string k => dict.TryGetValue(k, out var value) ? value : Undefined.Instance,
        IReadOnlyList<object?> list when key is long or bool => Index(list.Count, Values.ToLong(key)) is var i && i >= 0 ? list[i] : Undefined.Instance,
        string s when key is long or bool => Index(s.Length, Values.ToLong(key)) is var j && j >= 0 ? s[j].ToString() : Undefined.Instance,
        LoopInfo or string or IReadOnlyList<object?> when key is string name => Attribute(target, name),
        _ => Undefined.Instance,
    };

    public static object? Slice(object? target, long? start, long? stop, long? step)
    {
        var items = target is string s ? [.. s.Select(c => (object?)c.ToString())] : Values.Iterate(target);
        var stride = step ?? 1;
        if (stride == 0)
        {
            throw new ChatTemplateException("Slice step cannot be zero.");
        }

        var count = items.Count;
        long Clamp(long? bound, long fallback) => bound is not { } b ? fallback
            : b < 0 ? Math.Max(b + count, stride > 0 ? 0 : -1) : Math.Min(b, stride > 0 ? count : count - 1);
        var from = Clamp(start, stride > 0 ? 0 : count - 1);
        var to = Clamp(stop, stride > 0 ? count : -1);
        var result = new List<object?>();
        for (var i = from; stride > 0 ? i < to : i > to; i += stride)
        {
            result.Add(items[(int)i]);
        }

        return target is string ? string.Concat(result.Select(Values.Str)) : result;
    }

    private static int Index(int count, long index)
    {
        var i = index < 0 ? index + count : index;
        return i >= 0 && i < count ? (int)i : -1;
    }

    private static object? DictMethod(IReadOnlyDictionary<string, object?> dict, string name) => name switch
    {
        "items" => Method(_ => dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList()),
        "keys" => Method(_ => dict.Keys.Select(k => (object?)k).ToList()),
        "values" => Method(_ => dict.Values.ToList()),
        "get" => Method(a => dict.TryGetValue(Values.Str(a[0]), out var v) ? v : a.Count > 1 ? a[1] : null),
        _ => Undefined.Instance,
    };

    private static object? ListMethod(IReadOnlyList<object?> list, string name) => name switch
    {
        "append" when list is List<object?> mutable => Method(a =>
        {
            mutable.Add(a[0]);
            return null;
        }),
        "index" => Method(a => (long)list.ToList().FindIndex(x => Values.Equals(x, a[0]))),
        "count" => Method(a => (long)list.Count(x => Values.Equals(x, a[0]))),
        _ => Undefined.Instance,
    };

    private static object? StringMethod(string s, string name) => name switch
    {
        "strip" => Method(a => a.Count > 0 && a[0] is string chars ? s.Trim(chars.ToCharArray()) : s.Trim()),
        "lstrip" => Method(a => a.Count > 0 && a[0] is string chars ? s.TrimStart(chars.ToCharArray()) : s.TrimStart()),
        "rstrip" => Method(a => a.Count > 0 && a[0] is string chars ? s.TrimEnd(chars.ToCharArray()) : s.TrimEnd()),
        "upper" => Method(_ => s.ToUpperInvariant()),
        "lower" => Method(_ => s.ToLowerInvariant()),
        "title" => Method(_ => Values.Title(s)),
        "capitalize" => Method(_ => Values.Capitalize(s)),
        "startswith" => Method(a => s.StartsWith(Values.Str(a[0]), StringComparison.Ordinal)),
        "endswith" => Method(a => s.EndsWith(Values.Str(a[0]), StringComparison.Ordinal)),
        "replace" => Method(a => s.Replace(Values.Str(a[0]), Values.Str(a[1]), StringComparison.Ordinal)),
        "split" => Method(a => (a.Count > 0 && a[0] is string sep
                ? s.Split(sep)
                : s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Select(x => (object?)x).ToList()),
        "find" => Method(a => (long)s.IndexOf(Values.Str(a[0]), StringComparison.Ordinal)),
        "count" => Method(a => (long)(s.Length - s.Replace(Values.Str(a[0]), string.Empty, StringComparison.Ordinal).Length) / Math.Max(1, Values.Str(a[0]).Length)),
        "join" => Method(a => string.Join(s, Values.Iterate(a[0]).Select(Values.Str))),
        _ => Undefined.Instance,
    };

    private static TemplateFunction Method(Func<IReadOnlyList<object?>, object?> body) => new((args, _) => body(args));
}
