namespace Rag.Tokenizers.Decoders;

/// <summary>One step of HF's decoder chain: token strings in, (fewer or rewritten) strings out.</summary>
internal interface IDecoder
{
    void Decode(List<string> tokens);
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
}
