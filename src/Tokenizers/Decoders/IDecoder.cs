namespace Rag.Tokenizers.Decoders;

/// <summary>One step of HF's decoder chain: token strings in, (fewer or rewritten) strings out.</summary>
internal interface IDecoder
{
    void Decode(List<string> tokens);

    /// <summary>This step's part in a token-by-token byte mapping, or null when its output depends on neighbours.</summary>
    ByteWiseDecoding? Compose(ByteWiseDecoding decoding) => null;
}

internal sealed class SequenceDecoder(IReadOnlyList<IDecoder> steps) : IDecoder
{
    public void Decode(List<string> tokens)
    {
        foreach (var step in steps)
        {
            step.Decode(tokens);
        }
    }

    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding)
    {
        ByteWiseDecoding? result = decoding;
        foreach (var step in steps)
        {
            result = result is null ? null : step.Compose(result);
        }

        return result;
    }
}

/// <summary>Joins every token into one string, so that a following Strip acts once on the whole text.</summary>
internal sealed class FuseDecoder : IDecoder
{
    public void Decode(List<string> tokens)
    {
        var joined = string.Concat(tokens);
        tokens.Clear();
        tokens.Add(joined);
    }

    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding) => decoding;
}
