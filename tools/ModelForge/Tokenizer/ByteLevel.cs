using System.Text;

namespace Rag.ModelForge.Tokenizer;

/// <summary>
/// GPT-2's byte-to-character table: every byte maps to a printable character (printable Latin-1 bytes to
/// themselves, the rest to U+0100 onwards), so byte strings can be stored as readable vocabulary entries.
/// </summary>
public static class ByteLevel
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    public static char Symbol(byte value) => ByteToChar[value];

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, one table character per byte.</summary>
    public static string Encode(string text) => string.Concat(Encoding.UTF8.GetBytes(text).Select(b => ByteToChar[b]));

    public static string Decode(string symbols) => Encoding.UTF8.GetString(symbols.Select(c => CharToByte[c]).ToArray());

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
