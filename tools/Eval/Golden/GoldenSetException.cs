namespace Rag.Eval.Golden;

/// <summary>A golden set line that cannot be used, with its 1-based line number.</summary>
public sealed class GoldenSetException(int line, string reason) : Exception($"golden set line {line}: {reason}")
{
    public int Line { get; } = line;
}
