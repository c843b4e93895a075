namespace Rag.Embedding.Bench;

/// <summary>Texts of a chosen token length, built from whole-word entries of the model's WordPiece vocabulary.</summary>
internal static class BenchTexts
{
    public static string[] Generate(string vocabFile, int count, int minTokens, int maxTokens, int seed)
    {
        var words = File.ReadLines(vocabFile)
            .Where(w => w.Length >= 3 && w.All(char.IsAsciiLetterLower))
            .ToArray();
        var random = new Random(seed);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            // Two of the tokens are [CLS] and [SEP].
            var length = random.Next(minTokens, maxTokens + 1) - 2;
            texts[i] = string.Join(' ', Enumerable.Range(0, length).Select(_ => words[random.Next(words.Length)]));
        }
        return texts;
    }
}
