namespace Rag.Llm.Chat.Runtime;

/// <summary>A variable scope: the template's top level, or one iteration of a for loop (whose sets do not leak out).</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public Scope? Parent => parent;

    public object? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return Undefined.Instance;
    }

    public void Set(string name, object? value) => _variables[name] = value;
}
