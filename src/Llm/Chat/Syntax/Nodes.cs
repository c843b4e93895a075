namespace Rag.Llm.Chat.Syntax;

// The template's syntax tree: statements (Node) and expressions (Expr), as Jinja defines them.
internal abstract record Node;

internal sealed record TextNode(string Text) : Node;

internal sealed record OutputNode(Expr Value) : Node;

internal sealed record IfNode(IReadOnlyList<(Expr Condition, IReadOnlyList<Node> Body)> Branches, IReadOnlyList<Node>? Else) : Node;

internal sealed record ForNode(IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node>? Else) : Node;

/// <summary><c>set x = ...</c> or <c>set ns.attr = ...</c> (Owner set).</summary>
internal sealed record SetNode(string? Owner, IReadOnlyList<string> Names, Expr Value) : Node;

internal sealed record SetBlockNode(string Name, IReadOnlyList<Node> Body) : Node;

internal sealed record MacroNode(string Name, IReadOnlyList<(string Name, Expr? Default)> Parameters, IReadOnlyList<Node> Body) : Node;

/// <summary>Transparent blocks (HF's <c>generation</c>): rendered as their body.</summary>
internal sealed record BlockNode(IReadOnlyList<Node> Body) : Node;

internal sealed record BreakNode : Node;

internal sealed record ContinueNode : Node;

internal abstract record Expr;

internal sealed record LiteralExpr(object? Value) : Expr;

internal sealed record NameExpr(string Name) : Expr;

internal sealed record AttributeExpr(Expr Target, string Name) : Expr;

internal sealed record ItemExpr(Expr Target, Expr Key) : Expr;

internal sealed record SliceExpr(Expr Target, Expr? Start, Expr? Stop, Expr? Step) : Expr;

internal sealed record CallExpr(Expr Target, IReadOnlyList<Expr> Arguments, IReadOnlyList<(string Name, Expr Value)> Keywords) : Expr;

internal sealed record FilterExpr(Expr Target, string Name, IReadOnlyList<Expr> Arguments, IReadOnlyList<(string Name, Expr Value)> Keywords) : Expr;

internal sealed record TestExpr(Expr Target, string Name, IReadOnlyList<Expr> Arguments, bool Negated) : Expr;

internal sealed record UnaryExpr(string Operator, Expr Operand) : Expr;

internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right) : Expr;

internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr? WhenFalse) : Expr;

internal sealed record ListExpr(IReadOnlyList<Expr> Items) : Expr;

internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Items) : Expr;
