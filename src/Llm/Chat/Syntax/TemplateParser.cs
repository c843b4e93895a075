namespace Rag.Llm.Chat.Syntax;

/// <summary>Builds the statement tree from scanned segments.</summary>
internal sealed class TemplateParser
{
    private readonly List<Segment> _segments;
    private int _position;

    private TemplateParser(List<Segment> segments) => _segments = segments;

    public static IReadOnlyList<Node> Parse(string source)
    {
        var parser = new TemplateParser(TemplateScanner.Scan(source));
        var (body, end) = parser.ParseBlock();
        if (end is not null)
        {
            throw new ChatTemplateException($"Unexpected '{{% {end} %}}' in template.");
        }

        return body;
    }

    /// <summary>Nodes up to a closing/continuing tag (endif, else, ...) whose keyword and parser are returned.</summary>
    private (List<Node> Body, string? Terminator) ParseBlock(params string[] terminators)
    {
        var nodes = new List<Node>();
        while (_position < _segments.Count)
        {
            var segment = _segments[_position++];
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    nodes.Add(new TextNode(segment.Content));
                    break;
                case SegmentKind.Output:
                    nodes.Add(new OutputNode(ExpressionParser.ParseAll(segment.Content)));
                    break;
                case SegmentKind.Statement:
                    var keyword = Keyword(segment.Content);
                    if (terminators.Contains(keyword))
                    {
                        _position--;
                        return (nodes, keyword);
                    }

                    nodes.Add(ParseStatement(keyword, segment.Content));
                    break;
            }
        }

        if (terminators.Length > 0)
        {
            throw new ChatTemplateException($"Template ends before {{% {terminators[^1]} %}}.");
        }

        return (nodes, null);
    }

    private Node ParseStatement(string keyword, string content)
    {
        var parser = new ExpressionParser(ExpressionLexer.Tokenize(content));
        parser.Next();
        switch (keyword)
        {
            case "if":
                return ParseIf(parser, content);
            case "for":
                return ParseFor(parser, content);
            case "set":
                return ParseSet(parser, content);
            case "macro":
                return ParseMacro(parser, content);
            case "generation":
                return new BlockNode(ParseBody("endgeneration"));
            case "break":
                return new BreakNode();
            case "continue":
                return new ContinueNode();
            default:
                throw new ChatTemplateException($"Unsupported template statement '{{% {content} %}}'.");
        }
    }

    private IfNode ParseIf(ExpressionParser parser, string content)
    {
        var branches = new List<(Expr, IReadOnlyList<Node>)>();
        var condition = parser.ParseTuple();
        parser.ExpectEnd(content);
        while (true)
        {
            var (body, terminator) = ParseBlock("elif", "else", "endif");
            branches.Add((condition, body));
            var tag = _segments[_position++].Content;
            if (terminator == "endif")
            {
                return new IfNode(branches, null);
            }

            if (terminator == "else")
            {
                return new IfNode(branches, ParseBody("endif"));
            }

            condition = ExpressionParser.ParseAll(tag[4..]);
        }
    }

    private ForNode ParseFor(ExpressionParser parser, string content)
    {
        var targets = new List<string> { parser.ExpectName() };
        while (parser.TryOperator(","))
        {
            targets.Add(parser.ExpectName());
        }

        if (!parser.TryName("in"))
        {
            throw new ChatTemplateException($"Expected 'in' in '{{% {content} %}}'.");
        }

        var iterable = parser.ParseExpression(allowConditional: false);
        var filter = parser.TryName("if") ? parser.ParseExpression(allowConditional: false) : null;
        parser.TryName("recursive");
        parser.ExpectEnd(content);
        var (body, terminator) = ParseBlock("else", "endfor");
        _position++;
        var otherwise = terminator == "else" ? ParseBody("endfor") : null;
        return new ForNode(targets, iterable, filter, body, otherwise);
    }

    private Node ParseSet(ExpressionParser parser, string content)
    {
        var first = parser.ExpectName();
        string? owner = null;
        var names = new List<string> { first };
        if (parser.TryOperator("."))
        {
            owner = first;
            names[0] = parser.ExpectName();
        }

        while (parser.TryOperator(","))
        {
            names.Add(parser.ExpectName());
        }

        if (!parser.TryOperator("="))
        {
            parser.ExpectEnd(content);
            return new SetBlockNode(first, ParseBody("endset"));
        }

        var value = parser.ParseTuple();
        parser.ExpectEnd(content);
        return new SetNode(owner, names, value);
    }

    private MacroNode ParseMacro(ExpressionParser parser, string content)
    {
        var name = parser.ExpectName();
        parser.ExpectOperator("(");
        var (args, keywords) = parser.ParseArguments();
        parser.ExpectEnd(content);
        var parameters = args.Select(a => a is NameExpr n ? (n.Name, (Expr?)null)
                : throw new ChatTemplateException($"Bad macro parameter in '{{% {content} %}}'."))
            .Concat(keywords.Select(k => (k.Item1, (Expr?)k.Item2)))
            .ToList();
        return new MacroNode(name, parameters, ParseBody("endmacro"));
    }

    private List<Node> ParseBody(string terminator)
    {
        var (body, _) = ParseBlock(terminator);
        _position++;
        return body;
    }

    private static string Keyword(string content)
    {
        var end = 0;
        while (end < content.Length && (char.IsLetter(content[end]) || content[end] == '_'))
        {
            end++;
        }

        return content[..end];
    }
}
