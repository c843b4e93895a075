using System.Text.RegularExpressions;

namespace Rag.Tokenizers.PreTokenizers;

/// <summary>HF's Split: a literal or regex pattern with a delimiter behaviour (Llama 3 and Qwen2 use it for their regex).</summary>
internal sealed class SplitPreTokenizer(Regex pattern, SplitBehavior behavior, bool invert) : IPreTokenizer
{
    public void Split(AlignedText piece, List<AlignedText> output) =>
        Splitter.Apply(piece, Splitter.Runs(pattern, piece.Text, invert), behavior, output);
}

/// <summary>Whitespace (\w+|[^\w\s]+), WhitespaceSplit, Punctuation and Digits: fixed patterns over Split.</summary>
internal static class FixedPatternPreTokenizers
{
    public static IPreTokenizer Whitespace() => new SplitPreTokenizer(new Regex(@"\w+|[^\w\s]+"), SplitBehavior.Removed, invert: true);

    public static IPreTokenizer WhitespaceSplit() => new SplitPreTokenizer(new Regex(@"\s+"), SplitBehavior.Removed, invert: false);

    public static IPreTokenizer Punctuation(SplitBehavior behavior) => new SplitPreTokenizer(new Regex(@"[\p{P}$+<=>^`|~]"), behavior, invert: false);

    public static IPreTokenizer Digits(bool individual) =>
        new SplitPreTokenizer(new Regex(individual ? @"\p{N}" : @"\p{N}+"), SplitBehavior.Isolated, invert: false);
}
