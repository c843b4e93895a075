namespace Rag.Llm.Generation;

/// <summary>
/// Token-level stops: the model's end-of-sequence ids and the new-token budget (which the generator already cut to
/// what the context window leaves, so the cache never overflows).
/// </summary>
public sealed class StopCondition(IReadOnlyList<int> eosTokenIds, int maxNewTokens)
{
    public bool IsEndOfSequence(int token)
    {
        for (var i = 0; i < eosTokenIds.Count; i++)
        {
            if (eosTokenIds[i] == token)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when no further token may be generated after <paramref name="generated"/> tokens.</summary>
    public bool IsLengthReached(int generated) => generated >= maxNewTokens;
}
