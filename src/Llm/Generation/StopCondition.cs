namespace Rag.Llm.Generation;

/// <summary>Token-level stops: the model's end-of-sequence ids, the new-token budget and the cache's capacity.</summary>
public sealed class StopCondition(IReadOnlyList<int> eosTokenIds, int maxNewTokens, int capacity)
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

    /// <summary>True when no further token may be generated after <paramref name="generated"/> tokens with
    /// <paramref name="position"/> positions filled (the last sampled token not yet among them).</summary>
    public bool IsLengthReached(int generated, int position) => generated >= maxNewTokens || position >= capacity;
}
