using System.Text.RegularExpressions;
using Rag.ModelForge.Tokenizer;

namespace Rag.ModelForge.Decoder;

/// <summary>
/// The demo decoder's LM-head bias. Untrained, its greedy choice is whichever random logit is largest; with a tied
/// head and ChatML prompts, which end in "\n", that was "\n" again and again, an answer a user sees as blank. The
/// bias lifts whole words of the tokenizer's training text (with their leading space), leaves punctuation and word
/// pieces possible, rules out whitespace, control and half-character tokens and every special token except the end
/// of turn, which gets enough to end an answer after some dozens of tokens. The weights stay random: only which
/// kind of token tends to win is steered.
/// </summary>
internal static class DemoLogitBias
{
    private const float Never = -1e4f;
    private const float Word = 3f;
    // Greedy decoding settles into loops of a few words; the context drifts as it grows, and with this bias the end of
    // turn wins within some dozens of tokens (ModelForge.Tests' DemoDecoderTests generate with it).
    private const float EndOfTurn = 4f;

    /// <param name="trainingText">The text the tokenizer learned from: its words are the whole words a token may be.</param>
    public static float[] For(BpeModel tokenizer, int vocabSize, string trainingText)
    {
        var words = Regex.Matches(trainingText, @"\p{L}+").Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var bias = new float[vocabSize];
        for (var id = 0; id < tokenizer.Vocabulary.Count; id++)
        {
            bias[id] = Kind(ByteLevel.Decode(tokenizer.Vocabulary[id]), words);
        }
        foreach (var special in BpeModel.SpecialTokens)
        {
            bias[tokenizer.SpecialId(special)] = special == BpeModel.ImEnd ? EndOfTurn : Never;
        }
        return bias;
    }

    private static float Kind(string text, HashSet<string> words)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains('\uFFFD', StringComparison.Ordinal) || text.Any(c => c != ' ' && (char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            return Never;
        }
        return text.Length >= 2 && text[0] == ' ' && words.Contains(text[1..]) ? Word : 0;
    }
}
