namespace Rag.Llm.Chat.Syntax;

/// <summary>Recursive-descent parser for Jinja expressions, with Jinja's precedence (filters and tests bind tightest).</summary>
internal sealed class ExpressionParser(List<Token> tokens)
{
    private int _position;

    public Token Current => tokens[_position];

    public bool AtEnd => Current.Kind == TokenKind.End;

    public static Expr ParseAll(string source)
    {
        var parser = new ExpressionParser(ExpressionLexer.Tokenize(source));
        var expr = parser.ParseTuple();
        parser.ExpectEnd(source);
        return expr;
    }

    public void ExpectEnd(string source)
    {
        if (!AtEnd)
        {
            throw new ChatTemplateException($"Unexpected '{Current.Text}' in template tag '{source}'.");
        }
    }

    public bool IsName(string name) => Current.Kind == TokenKind.Name && Current.Text == name;

    public bool IsOperator(string op) => Current.Kind == TokenKind.Operator && Current.Text == op;

    public Token Next() => tokens[_position++];

    public bool TryOperator(string op)
    {
        if (!IsOperator(op))
        {
            return false;
        }

        _position++;
        return true;
    }

    public bool TryName(string name)
    {
        if (!IsName(name))
        {
            return false;
        }

        _position++;
        return true;
    }

    public void ExpectOperator(string op)
    {
        if (!TryOperator(op))
        {
            throw new ChatTemplateException($"Expected '{op}' but found '{Current.Text}' in template.");
        }
    }

    public string ExpectName()
    {
        if (Current.Kind != TokenKind.Name)
        {
            throw new ChatTemplateException($"Expected a name but found '{Current.Text}' in template.");
        }

        return Next().Text;
    }

    /// <summary>An expression, or several separated by commas (a tuple, evaluated as a list).</summary>
    public Expr ParseTuple()
    {
        var first = ParseExpression();
        if (!IsOperator(","))
        {
            return first;
        }

        var items = new List<Expr> { first };
        while (TryOperator(","))
        {
            if (AtEnd || IsOperator(")"))
            {
                break;
            }

            items.Add(ParseExpression());
        }

        return new ListExpr(items);
    }

    public Expr ParseExpression(bool allowConditional = true)
    {
        var expr = ParseOr();
        if (allowConditional && TryName("if"))
        {
            var condition = ParseOr();
            Expr? otherwise = TryName("else") ? ParseExpression() : null;
            return new ConditionalExpr(condition, expr, otherwise);
        }

        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (TryName("or"))
        {
            left = new BinaryExpr("or", left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (TryName("and"))
        {
            left = new BinaryExpr("and", left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot() => TryName("not") ? new UnaryExpr("not", ParseNot()) : ParseCompare();

    /// <summary>Comparisons chain as in Python: <c>a &lt; b &lt;= c</c> means <c>a &lt; b and b &lt;= c</c>.</summary>
    private Expr ParseCompare()
    {
        var left = ParseMath1();
        Expr? chain = null;
        while (TryComparison(out var op))
        {
            var right = ParseMath1();
            var comparison = new BinaryExpr(op, left, right);
            chain = chain is null ? comparison : new BinaryExpr("and", chain, comparison);
            left = right;
        }

        return chain ?? left;
    }

    private bool TryComparison(out string op)
    {
        op = Current.Text;
        if (Current.Kind == TokenKind.Operator && Current.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
        {
            _position++;
            return true;
        }

        if (TryName("in"))
        {
            op = "in";
            return true;
        }

        if (IsName("not") && tokens[_position + 1] is { Kind: TokenKind.Name, Text: "in" })
        {
            _position += 2;
            op = "not in";
            return true;
        }

        return false;
    }

    private Expr ParseMath1() => ParseLeftAssociative(ParseConcat, "+", "-");

    private Expr ParseConcat() => ParseLeftAssociative(ParseMath2, "~");

    private Expr ParseMath2() => ParseLeftAssociative(ParsePow, "*", "/", "//", "%");

    private Expr ParsePow() => ParseLeftAssociative(ParseUnary, "**");

    private Expr ParseLeftAssociative(Func<Expr> operand, params string[] operators)
    {
        var left = operand();
        while (Current.Kind == TokenKind.Operator && operators.Contains(Current.Text))
        {
            var op = Next().Text;
            left = new BinaryExpr(op, left, operand());
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (TryOperator("-"))
        {
            return new UnaryExpr("-", ParseUnary());
        }

        if (TryOperator("+"))
        {
            return ParseUnary();
        }

        return ParseFiltersAndTests(ParsePostfix(ParsePrimary()));
    }

    private Expr ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.String:
                var text = (string)token.Value!;
                while (Current.Kind == TokenKind.String)
                {
                    text += (string)Next().Value!;
                }

                return new LiteralExpr(text);
            case TokenKind.Integer:
            case TokenKind.Float:
                return new LiteralExpr(token.Value);
            case TokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => new LiteralExpr(true),
                    "false" or "False" => new LiteralExpr(false),
                    "none" or "None" => new LiteralExpr(null),
                    _ => new NameExpr(token.Text),
                };
            case TokenKind.Operator when token.Text == "(":
                if (TryOperator(")"))
                {
                    return new ListExpr([]);
                }

                var inner = ParseTuple();
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                var items = new List<Expr>();
                while (!TryOperator("]"))
                {
                    items.Add(ParseExpression());
                    if (!TryOperator(","))
                    {
                        ExpectOperator("]");
                        break;
                    }
                }

                return new ListExpr(items);
            case TokenKind.Operator when token.Text == "{":
                var pairs = new List<(Expr, Expr)>();
                while (!TryOperator("}"))
                {
                    var key = ParseExpression();
                    ExpectOperator(":");
                    pairs.Add((key, ParseExpression()));
                    if (!TryOperator(","))
                    {
                        ExpectOperator("}");
                        break;
                    }
                }

                return new DictExpr(pairs);
            default:
                throw new ChatTemplateException($"Unexpected '{token.Text}' in template expression.");
        }
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (TryOperator("."))
            {
                expr = new AttributeExpr(expr, Current.Kind == TokenKind.Integer ? Next().Text : ExpectName());
            }
            else if (TryOperator("["))
            {
                expr = ParseSubscript(expr);
            }
            else if (TryOperator("("))
            {
                var (args, keywords) = ParseArguments();
                expr = new CallExpr(expr, args, keywords);
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr ParseSubscript(Expr target)
    {
        Expr? start = IsOperator(":") ? null : ParseExpression();
        if (!TryOperator(":"))
        {
            ExpectOperator("]");
            return new ItemExpr(target, start!);
        }

        Expr? stop = IsOperator(":") || IsOperator("]") ? null : ParseExpression();
        Expr? step = null;
        if (TryOperator(":") && !IsOperator("]"))
        {
            step = ParseExpression();
        }

        ExpectOperator("]");
        return new SliceExpr(target, start, stop, step);
    }

    /// <summary>Call arguments after '(' up to and including ')'.</summary>
    public (List<Expr> Arguments, List<(string, Expr)> Keywords) ParseArguments()
    {
        var args = new List<Expr>();
        var keywords = new List<(string, Expr)>();
        while (!TryOperator(")"))
        {
            if (Current.Kind == TokenKind.Name && tokens[_position + 1] is { Kind: TokenKind.Operator, Text: "=" })
            {
                var name = Next().Text;
                _position++;
                keywords.Add((name, ParseExpression()));
            }
            else
            {
                args.Add(ParseExpression());
            }

            if (!TryOperator(","))
            {
                ExpectOperator(")");
                break;
            }
        }

        return (args, keywords);
    }

    private Expr ParseFiltersAndTests(Expr expr)
    {
        while (true)
        {
            if (TryOperator("|"))
            {
                var name = ExpectName();
                var (args, keywords) = TryOperator("(") ? ParseArguments() : ([], []);
                expr = new FilterExpr(expr, name, args, keywords);
            }
            else if (TryName("is"))
            {
                var negated = TryName("not");
                var name = ExpectName();
                var args = new List<Expr>();
                if (TryOperator("("))
                {
                    args = ParseArguments().Arguments;
                }
                else if (Current.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float
                    || (Current.Kind == TokenKind.Name && Current.Text is not ("and" or "or" or "else" or "if" or "in" or "not")))
                {
                    args.Add(ParsePostfix(ParsePrimary()));
                }

                expr = new TestExpr(expr, name, args, negated);
            }
            else
            {
                return expr;
            }
        }
    }
}
