using System.Text;

namespace Rag.Tokenizers.Decoders;

/// <summary>Byte-level: every char back to its byte, then UTF-8 (invalid sequences become U+FFFD).</summary>
internal sealed class ByteLevelDecoder : IDecoder
{
    public void Decode(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var mapped = token.All(ByteLevelAlphabet.CharToByte.ContainsKey);
            if (mapped)
            {
                foreach (var c in token)
                {
                    bytes.Add(ByteLevelAlphabet.CharToByte[c]);
                }
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
            }
        }

        tokens.Clear();
        tokens.Add(Encoding.UTF8.GetString([.. bytes]));
    }

    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding) => decoding == ByteWiseDecoding.Identity ? decoding with { ByteLevel = true } : null;
}

/// <summary>Runs of &lt;0xNN&gt; tokens become the text their bytes encode (or one U+FFFD per byte if not valid UTF-8).</summary>
internal sealed class ByteFallbackDecoder : IDecoder
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    public void Decode(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            var b = Models.ByteFallback.ByteOf(token);
            if (b >= 0)
            {
                pending.Add((byte)b);
                continue;
            }

            Flush(pending, output);
            output.Add(token);
        }

        Flush(pending, output);
        tokens.Clear();
        tokens.AddRange(output);
    }

    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding) => decoding with { ByteFallback = true };

    private static void Flush(List<byte> pending, List<string> output)
    {
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            output.Add(Strict.GetString([.. pending]));
        }
        catch (DecoderFallbackException)
        {
            output.AddRange(Enumerable.Repeat("\uFFFD", pending.Count));
        }

        pending.Clear();
    }
}
