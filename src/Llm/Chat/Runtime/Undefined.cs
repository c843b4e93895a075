namespace Rag.Llm.Chat.Runtime;

/// <summary>Jinja's undefined: prints as nothing, is falsy, and is what <c>is defined</c> tests against.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Instance = new();

    private Undefined()
    {
    }

    public override string ToString() => string.Empty;
}

/// <summary>The object <c>namespace()</c> returns: attributes a loop body can assign and the outer scope sees.</summary>
internal sealed class Namespace : Dictionary<string, object?>
{
    public Namespace()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>A callable value: a global function, a macro, or a bound method such as <c>content.strip</c>.</summary>
internal sealed class TemplateFunction(Func<IReadOnlyList<object?>, IReadOnlyDictionary<string, object?>, object?> invoke)
{
    public object? Invoke(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> keywords) => invoke(args, keywords);
}

/// <summary>The <c>loop</c> variable inside a for block.</summary>
internal sealed class LoopInfo(IReadOnlyList<object?> items, int index)
{
    public object? Attribute(string name) => name switch
    {
        "index" => (long)(index + 1),
        "index0" => (long)index,
        "revindex" => (long)(items.Count - index),
        "revindex0" => (long)(items.Count - index - 1),
        "first" => index == 0,
        "last" => index == items.Count - 1,
        "length" => (long)items.Count,
        "previtem" => index > 0 ? items[index - 1] : Undefined.Instance,
        "nextitem" => index + 1 < items.Count ? items[index + 1] : Undefined.Instance,
        "cycle" => new TemplateFunction((args, _) => args.Count == 0 ? null : args[index % args.Count]),
        _ => Undefined.Instance,
    };
}
