namespace Rag.Embedding.Batching;

/// <summary>One text as model input: token ids with the special tokens, cut to the model's maximum length.</summary>
/// <param name="Ids">Token ids, special tokens included; never longer than the model's maximum sequence length.</param>
/// <param name="Truncated">True when tokens past the maximum sequence length were dropped.</param>
public readonly record struct EncodedText(int[] Ids, bool Truncated)
{
    public int Length => Ids.Length;
}
