using System.Text;
using Rag.Llm.Chat.Syntax;

namespace Rag.Llm.Chat.Runtime;

/// <summary>Renders a parsed template against a scope of variables.</summary>
internal sealed class Interpreter
{
    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public static string Render(IReadOnlyList<Node> template, Scope globals)
    {
        var output = new StringBuilder();
        new Interpreter().Execute(template, new Scope(globals), output);
        return output.ToString();
    }

    private Flow Execute(IReadOnlyList<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            var flow = Execute(node, scope, output);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Execute(Node node, Scope scope, StringBuilder output)
    {
        switch (node)
        {
            case TextNode text:
                output.Append(text.Text);
                return Flow.Normal;
            case OutputNode print:
                output.Append(Values.Str(Evaluate(print.Value, scope)));
                return Flow.Normal;
            case IfNode branch:
                foreach (var (condition, body) in branch.Branches)
                {
                    if (Values.IsTrue(Evaluate(condition, scope)))
                    {
                        return Execute(body, scope, output);
                    }
                }

                return branch.Else is null ? Flow.Normal : Execute(branch.Else, scope, output);
            case ForNode loop:
                RunFor(loop, scope, output);
                return Flow.Normal;
            case SetNode set:
                Assign(set, scope);
                return Flow.Normal;
            case SetBlockNode block:
                var captured = new StringBuilder();
                Execute(block.Body, scope, captured);
                scope.Set(block.Name, captured.ToString());
                return Flow.Normal;
            case MacroNode macro:
                scope.Set(macro.Name, DefineMacro(macro, scope));
                return Flow.Normal;
            case BlockNode block:
                return Execute(block.Body, scope, output);
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw new ChatTemplateException($"Cannot execute {node.GetType().Name}.");
        }
    }

    private void RunFor(ForNode loop, Scope scope, StringBuilder output)
    {
        var source = Evaluate(loop.Iterable, scope);
        var items = source is IReadOnlyDictionary<string, object?> && loop.Targets.Count == 2
            ? Filters.Apply("items", source, [], new Dictionary<string, object?>()) as IReadOnlyList<object?>
            : Values.Iterate(source);
        if (loop.Filter is not null)
        {
            items = items!.Where(item =>
            {
                var probe = new Scope(scope);
                Bind(loop.Targets, item, probe);
                return Values.IsTrue(Evaluate(loop.Filter, probe));
            }).ToList();
        }

        if (items!.Count == 0)
        {
            if (loop.Else is not null)
            {
                Execute(loop.Else, new Scope(scope), output);
            }

            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var iteration = new Scope(scope);
            Bind(loop.Targets, items[i], iteration);
            iteration.Set("loop", new LoopInfo(items, i));
            if (Execute(loop.Body, iteration, output) == Flow.Break)
            {
                break;
            }
        }
    }

    private static void Bind(IReadOnlyList<string> targets, object? item, Scope scope)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], item);
            return;
        }

        var parts = Values.Iterate(item);
        if (parts.Count != targets.Count)
        {
            throw new ChatTemplateException($"Cannot unpack {parts.Count} values into {targets.Count} loop variables.");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            scope.Set(targets[i], parts[i]);
        }
    }

    private void Assign(SetNode set, Scope scope)
    {
        var value = Evaluate(set.Value, scope);
        if (set.Owner is not null)
        {
            if (scope.Lookup(set.Owner) is not Namespace ns)
            {
                throw new ChatTemplateException($"'{set.Owner}' is not a namespace; only namespace() attributes can be set.");
            }

            ns[set.Names[0]] = value;
            return;
        }

        if (set.Names.Count == 1)
        {
            scope.Set(set.Names[0], value);
            return;
        }

        var parts = Values.Iterate(value);
        for (var i = 0; i < set.Names.Count; i++)
        {
            scope.Set(set.Names[i], i < parts.Count ? parts[i] : Undefined.Instance);
        }
    }

    private TemplateFunction DefineMacro(MacroNode macro, Scope definedIn) => new((args, keywords) =>
    {
        var call = new Scope(definedIn);
        for (var i = 0; i < macro.Parameters.Count; i++)
        {
            var (name, fallback) = macro.Parameters[i];
            var value = i < args.Count ? args[i]
                : keywords.TryGetValue(name, out var k) ? k
                : fallback is null ? Undefined.Instance : Evaluate(fallback, definedIn);
            call.Set(name, value);
        }

        var output = new StringBuilder();
        Execute(macro.Body, call, output);
        return output.ToString();
    });

    private object? Evaluate(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return scope.Lookup(name.Name);
            case AttributeExpr attribute:
                return Members.Attribute(Evaluate(attribute.Target, scope), attribute.Name);
            case ItemExpr item:
                return Members.Item(Evaluate(item.Target, scope), Evaluate(item.Key, scope));
            case SliceExpr slice:
                return Members.Slice(Evaluate(slice.Target, scope), Optional(slice.Start), Optional(slice.Stop), Optional(slice.Step));
            case CallExpr call:
                var function = Evaluate(call.Target, scope) as TemplateFunction
                    ?? throw new ChatTemplateException($"'{Describe(call.Target)}' is not a function the template can call.");
                return function.Invoke(EvaluateAll(call.Arguments, scope), EvaluateKeywords(call.Keywords, scope));
            case FilterExpr filter:
                return Filters.Apply(filter.Name, Evaluate(filter.Target, scope), EvaluateAll(filter.Arguments, scope), EvaluateKeywords(filter.Keywords, scope));
            case TestExpr test:
                return Tests.Apply(test.Name, Evaluate(test.Target, scope), EvaluateAll(test.Arguments, scope)) != test.Negated;
            case UnaryExpr { Operator: "not" } not:
                return !Values.IsTrue(Evaluate(not.Operand, scope));
            case UnaryExpr negate:
                var operand = Evaluate(negate.Operand, scope);
                return operand is long l ? (object)(-l) : -Values.ToDouble(operand);
            case BinaryExpr { Operator: "and" } and:
                var left = Evaluate(and.Left, scope);
                return Values.IsTrue(left) ? Evaluate(and.Right, scope) : left;
            case BinaryExpr { Operator: "or" } or:
                var first = Evaluate(or.Left, scope);
                return Values.IsTrue(first) ? first : Evaluate(or.Right, scope);
            case BinaryExpr binary:
                return Operators.Binary(binary.Operator, Evaluate(binary.Left, scope), Evaluate(binary.Right, scope));
            case ConditionalExpr conditional:
                return Values.IsTrue(Evaluate(conditional.Condition, scope))
                    ? Evaluate(conditional.WhenTrue, scope)
                    : conditional.WhenFalse is null ? Undefined.Instance : Evaluate(conditional.WhenFalse, scope);
            case ListExpr list:
                return EvaluateAll(list.Items, scope);
            case DictExpr dict:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in dict.Items)
                {
                    result[Values.Str(Evaluate(key, scope))] = Evaluate(value, scope);
                }

                return result;
            default:
                throw new ChatTemplateException($"Cannot evaluate {expr.GetType().Name}.");
        }

        long? Optional(Expr? bound) => bound is null ? null : Values.ToLong(Evaluate(bound, scope));
    }

    private List<object?> EvaluateAll(IReadOnlyList<Expr> exprs, Scope scope) => exprs.Select(e => Evaluate(e, scope)).ToList();

    private Dictionary<string, object?> EvaluateKeywords(IReadOnlyList<(string Name, Expr Value)> keywords, Scope scope) =>
        keywords.ToDictionary(k => k.Name, k => Evaluate(k.Value, scope), StringComparer.Ordinal);

    private static string Describe(Expr expr) => expr switch
    {
        NameExpr n => n.Name,
        AttributeExpr a => Describe(a.Target) + "." + a.Name,
        _ => expr.GetType().Name,
    };
}
