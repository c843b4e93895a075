using System.Globalization;
using System.Text;

namespace Rag.Llm.Chat.Runtime;

/// <summary>Python's strftime for the codes chat templates use (Llama 3.x's <c>strftime_now("%d %b %Y")</c>).</summary>
internal static class PythonTime
{
    public static string Format(DateTimeOffset time, string format)
    {
        var culture = CultureInfo.InvariantCulture;
        var output = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                output.Append(format[i]);
                continue;
            }

            var code = format[++i];
            output.Append(code switch
            {
                'd' => time.ToString("dd", culture),
                'm' => time.ToString("MM", culture),
                'y' => time.ToString("yy", culture),
                'Y' => time.ToString("yyyy", culture),
                'b' => time.ToString("MMM", culture),
                'B' => time.ToString("MMMM", culture),
                'a' => time.ToString("ddd", culture),
                'A' => time.ToString("dddd", culture),
                'H' => time.ToString("HH", culture),
                'I' => time.ToString("hh", culture),
                'M' => time.ToString("mm", culture),
                'S' => time.ToString("ss", culture),
                'p' => time.ToString("tt", culture),
                'j' => time.DayOfYear.ToString("000", culture),
                '%' => "%",
                _ => "%" + code,
            });
        }

        return output.ToString();
    }
}
