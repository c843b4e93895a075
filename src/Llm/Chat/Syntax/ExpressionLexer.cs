using System.Globalization;
using System.Text;

namespace Rag.Llm.Chat.Syntax;

internal enum TokenKind
{
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Text, object? Value = null);

/// <summary>Splits the inside of a <c>{{ }}</c> or <c>{% %}</c> tag into tokens.</summary>
internal static class ExpressionLexer
{
    private static readonly string[] Operators =
        ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="];

    public static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, source[start..i]));
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < source.Length && (char.IsDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                var isFloat = i + 1 < source.Length && source[i] == '.' && char.IsDigit(source[i + 1]);
                if (isFloat)
                {
                    i++;
                    while (i < source.Length && char.IsDigit(source[i]))
                    {
                        i++;
                    }
                }

                var text = source[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
                tokens.Add(isFloat
                    ? new Token(TokenKind.Float, text, double.Parse(text, CultureInfo.InvariantCulture))
                    : new Token(TokenKind.Integer, text, long.Parse(text, CultureInfo.InvariantCulture)));
            }
            else if (c is '\'' or '"')
            {
                var (value, end) = ReadString(source, i);
                tokens.Add(new Token(TokenKind.String, source[i..end], value));
                i = end;
            }
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(source, i, o, 0, o.Length) == 0)
                    ?? throw new ChatTemplateException($"Unexpected character '{c}' in template expression '{source}'.");
                tokens.Add(new Token(TokenKind.Operator, op));
                i += op.Length;
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty));
        return tokens;
    }

    /// <summary>Reads a Python string literal starting at its quote; returns its value and the index after it.</summary>
    public static (string Value, int End) ReadString(string source, int start)
    {
        var quote = source[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (i < source.Length && source[i] != quote)
        {
            if (source[i] == '\\' && i + 1 < source.Length)
            {
                i++;
                var escaped = source[i];
                switch (escaped)
                {
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case '0': value.Append('\0'); break;
                    case 'u' when i + 4 < source.Length:
                        value.Append((char)Convert.ToInt32(source.Substring(i + 1, 4), 16));
                        i += 4;
                        break;
                    case '\\' or '\'' or '"': value.Append(escaped); break;
                    default: value.Append('\\').Append(escaped); break;
                }
            }
            else
            {
                value.Append(source[i]);
            }

            i++;
        }

        if (i >= source.Length)
        {
            throw new ChatTemplateException($"Unterminated string in template expression '{source}'.");
        }

        return (value.ToString(), i + 1);
    }
}
