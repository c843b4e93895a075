namespace Rag.Embedding.Batching;

/// <summary>One text (or one text pair) as model input: token ids with the special tokens, cut to the model's maximum length.</summary>
/// <param name="Ids">Token ids, special tokens included; never longer than the model's maximum sequence length.</param>
/// <param name="Truncated">True when tokens past the maximum sequence length were dropped.</param>
/// <param name="SecondSegmentStart">
/// For a pair, the index of the first token of the second segment (token type 1 from there on, as BERT's
/// <c>[CLS] A [SEP]</c> is type 0 and <c>B [SEP]</c> type 1); 0 for a single text, which is type 0 throughout.
/// </param>
public readonly record struct EncodedText(int[] Ids, bool Truncated, int SecondSegmentStart = 0)
{
    public int Length => Ids.Length;
}
