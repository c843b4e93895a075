using System.Text;
using Rag.Tokenizers.Decoders;

namespace Rag.Tokenizers;

/// <summary>The bytes each token contributes to decoded text under a <see cref="ByteWiseDecoding"/>, computed once per id.</summary>
internal sealed class TokenBytes(Vocabulary vocabulary, ByteWiseDecoding decoding)
{
    private readonly byte[]?[] _bytes = new byte[vocabulary.IdLimit][];

    public ByteWiseDecoding Decoding => decoding;

    public ReadOnlySpan<byte> Of(int id)
    {
        if ((uint)id >= (uint)_bytes.Length)
        {
            return [];
        }

        // Races only compute the same array twice.
        return _bytes[id] ??= Compute(vocabulary.Token(id) ?? string.Empty);
    }

    private byte[] Compute(string token)
    {
        if (decoding.ByteLevel)
        {
            return token.All(ByteLevelAlphabet.CharToByte.ContainsKey)
                ? [.. token.Select(c => ByteLevelAlphabet.CharToByte[c])]
                : Encoding.UTF8.GetBytes(token);
        }

        if (decoding.ByteFallback && Models.ByteFallback.ByteOf(token) is >= 0 and var b)
        {
            return [(byte)b];
        }

        return Encoding.UTF8.GetBytes(decoding.Replacement is { } r ? token.Replace(r, ' ') : token);
    }
}
