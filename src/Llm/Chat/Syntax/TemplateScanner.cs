namespace Rag.Llm.Chat.Syntax;

internal enum SegmentKind
{
    Text,
    Output,
    Statement,
    Comment,
}

internal sealed record Segment(SegmentKind Kind, string Content, bool StripBefore, bool StripAfter, bool KeepLeading);

/// <summary>
/// Cuts template source into text, <c>{{ }}</c>, <c>{% %}</c> and <c>{# #}</c>, then applies whitespace control the
/// way transformers configures Jinja: <c>-</c> markers, plus trim_blocks (the newline after a block tag goes) and
/// lstrip_blocks (indentation before a block tag goes).
/// </summary>
internal static class TemplateScanner
{
    public static List<Segment> Scan(string source)
    {
        var segments = new List<Segment>();
        var i = 0;
        while (i < source.Length)
        {
            var open = NextTag(source, i);
            if (open < 0)
            {
                segments.Add(new Segment(SegmentKind.Text, source[i..], false, false, false));
                break;
            }

            if (open > i)
            {
                segments.Add(new Segment(SegmentKind.Text, source[i..open], false, false, false));
            }

            var kind = source[open + 1] switch
            {
                '{' => SegmentKind.Output,
                '%' => SegmentKind.Statement,
                _ => SegmentKind.Comment,
            };
            var bodyStart = open + 2;
            var stripBefore = bodyStart < source.Length && source[bodyStart] == '-';
            var keepLeading = bodyStart < source.Length && source[bodyStart] == '+';
            if (stripBefore || keepLeading)
            {
                bodyStart++;
            }

            var close = kind == SegmentKind.Comment ? source.IndexOf("#}", bodyStart, StringComparison.Ordinal) : CloseOf(source, bodyStart, kind);
            if (close < 0)
            {
                throw new ChatTemplateException($"Unclosed template tag at offset {open}.");
            }

            var stripAfter = close > bodyStart && source[close - 1] == '-';
            var body = source[bodyStart..(stripAfter ? close - 1 : close)].Trim();
            segments.Add(new Segment(kind, body, stripBefore, stripAfter, keepLeading));
            i = close + 2;
            if (kind == SegmentKind.Statement && body is "raw")
            {
                i = ReadRaw(source, i, segments);
            }
        }

        return ApplyWhitespaceControl(segments);
    }

    private static int NextTag(string source, int from)
    {
        while (true)
        {
            var open = source.IndexOf('{', from);
            if (open < 0 || open + 1 >= source.Length)
            {
                return -1;
            }

            if (source[open + 1] is '{' or '%' or '#')
            {
                return open;
            }

            from = open + 1;
        }
    }

    /// <summary>The index of the closing "}}" or "%}", skipping quoted strings (a template may print "}}").</summary>
    private static int CloseOf(string source, int from, SegmentKind kind)
    {
        var closer = kind == SegmentKind.Output ? '}' : '%';
        for (var i = from; i < source.Length - 1; i++)
        {
            var c = source[i];
            if (c is '\'' or '"')
            {
                i = ExpressionLexer.ReadString(source, i).End - 1;
            }
            else if (c == closer && source[i + 1] == '}')
            {
                return i;
            }
        }

        return -1;
    }

    private static int ReadRaw(string source, int from, List<Segment> segments)
    {
        var end = source.IndexOf("endraw", from, StringComparison.Ordinal);
        var tagStart = end < 0 ? -1 : source.LastIndexOf("{%", end, StringComparison.Ordinal);
        if (tagStart < 0)
        {
            throw new ChatTemplateException("{% raw %} without {% endraw %}.");
        }

        segments.RemoveAt(segments.Count - 1);
        segments.Add(new Segment(SegmentKind.Text, source[from..tagStart], false, false, false));
        return source.IndexOf("%}", end, StringComparison.Ordinal) + 2;
    }

    private static List<Segment> ApplyWhitespaceControl(List<Segment> segments)
    {
        var result = new List<Segment>(segments.Count);
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            if (segment.Kind != SegmentKind.Text)
            {
                result.Add(segment);
                continue;
            }

            var text = segment.Content;
            var previous = s > 0 ? segments[s - 1] : null;
            var next = s + 1 < segments.Count ? segments[s + 1] : null;
            if (previous is not null && previous.StripAfter)
            {
                text = text.TrimStart();
            }
            else if (previous is { Kind: SegmentKind.Statement or SegmentKind.Comment })
            {
                text = text.StartsWith("\r\n", StringComparison.Ordinal) ? text[2..] : text.StartsWith('\n') ? text[1..] : text;
            }

            if (next is not null && next.StripBefore)
            {
                text = text.TrimEnd();
            }
            else if (next is { Kind: SegmentKind.Statement or SegmentKind.Comment, KeepLeading: false })
            {
                text = IndentationOnly(segment.Content, atTemplateStart: s == 0) ? text.TrimEnd(' ', '\t') : text;
            }

            if (text.Length > 0)
            {
                result.Add(segment with { Content = text });
            }
        }

        return result;
    }

    /// <summary>lstrip_blocks applies when only spaces and tabs stand between the start of the line and the tag.</summary>
    private static bool IndentationOnly(string original, bool atTemplateStart)
    {
        var end = original.Length;
        while (end > 0 && original[end - 1] is ' ' or '\t')
        {
            end--;
        }

        return end == 0 ? atTemplateStart : original[end - 1] == '\n';
    }
}
