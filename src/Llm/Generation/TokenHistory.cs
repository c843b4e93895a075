namespace Rag.Llm.Generation;

/// <summary>What the penalties look at: which tokens the context holds and how often each was generated.
/// Sized to the vocabulary once per request so the decode loop only bumps counters.</summary>
public sealed class TokenHistory
{
    private readonly bool[] _inContext;
    private readonly int[] _generatedCounts;
    private readonly List<int> _contextTokens = [];
    private readonly List<int> _generatedTokens = [];

    public TokenHistory(int vocabSize)
    {
        _inContext = new bool[vocabSize];
        _generatedCounts = new int[vocabSize];
    }

    /// <summary>Distinct tokens in prompt and output, for the repetition penalty.</summary>
    public IReadOnlyList<int> ContextTokens => _contextTokens;

    /// <summary>Distinct generated tokens, for the presence and frequency penalties.</summary>
    public IReadOnlyList<int> GeneratedTokens => _generatedTokens;

    public int GeneratedCount(int token) => _generatedCounts[token];

    public void AddPrompt(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            AddToContext(token);
        }
    }

    public void AddGenerated(int token)
    {
        AddToContext(token);
        if (_generatedCounts[token]++ == 0)
        {
            _generatedTokens.Add(token);
        }
    }

    private void AddToContext(int token)
    {
        if ((uint)token < (uint)_inContext.Length && !_inContext[token])
        {
            _inContext[token] = true;
            _contextTokens.Add(token);
        }
    }
}
