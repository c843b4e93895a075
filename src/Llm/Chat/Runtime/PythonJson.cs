using System.Globalization;
using System.Text;

namespace Rag.Llm.Chat.Runtime;

/// <summary>
/// <c>tojson</c> as transformers defines it: Python's json.dumps with ensure_ascii=False, ", " and ": " separators,
/// optional indent, keys in insertion order.
/// </summary>
internal static class PythonJson
{
    public static string Serialize(object? value, int? indent = null)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder output, object? value, int? indent, int depth)
    {
        switch (value)
        {
            case null or Undefined:
                output.Append("null");
                break;
            case bool b:
                output.Append(b ? "true" : "false");
                break;
            case long l:
                output.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                output.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : Values.FormatFloat(d));
                break;
            case string s:
                WriteString(output, s);
                break;
            case IReadOnlyDictionary<string, object?> dict:
                WriteContainer(output, '{', '}', dict.ToList(), indent, depth, (o, pair) =>
                {
                    WriteString(o, pair.Key);
                    o.Append(": ");
                    Write(o, pair.Value, indent, depth + 1);
                });
                break;
            case IReadOnlyList<object?> list:
                WriteContainer(output, '[', ']', list, indent, depth, (o, item) => Write(o, item, indent, depth + 1));
                break;
            default:
                WriteString(output, Values.Str(value));
                break;
        }
    }

    private static void WriteContainer<T>(StringBuilder output, char open, char close, IReadOnlyList<T> items, int? indent, int depth, Action<StringBuilder, T> writeItem)
    {
        output.Append(open);
        if (items.Count == 0)
        {
            output.Append(close);
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (indent is { } width)
            {
                output.Append(i == 0 ? "\n" : ",\n").Append(' ', width * (depth + 1));
            }
            else if (i > 0)
            {
                output.Append(", ");
            }

            writeItem(output, items[i]);
        }

        if (indent is { } w)
        {
            output.Append('\n').Append(' ', w * depth);
        }

        output.Append(close);
    }

    private static void WriteString(StringBuilder output, string s)
    {
        output.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case < ' ': output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: output.Append(c); break;
            }
        }

        output.Append('"');
    }
}
