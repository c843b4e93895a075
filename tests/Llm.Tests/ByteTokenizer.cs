using System.Text;
using Rag.Llm.Generation;

namespace Rag.Llm.Tests;

/// <summary>One token per UTF-8 byte (ids 0..255), so multi-byte characters arrive split across tokens.</summary>
internal sealed class ByteTokenizer : ITextTokenizer
{
    public IReadOnlyList<int> Encode(string text) => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)];

    public string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new byte[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            bytes[i] = (byte)ids[i];
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
