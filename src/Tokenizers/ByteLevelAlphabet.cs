namespace Rag.Tokenizers;

/// <summary>GPT-2's reversible byte ↔ printable char mapping (space is 'Ġ', newline 'Ċ').</summary>
internal static class ByteLevelAlphabet
{
    public static readonly char[] ByteToChar = Build();

    public static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    private static char[] Build()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is (>= '!' and <= '~') or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
