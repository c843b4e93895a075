namespace Rag.Embedding.Tests.Model;

/// <summary>Sentences of very different lengths, so every batch mixes short and long texts (and padding).</summary>
internal static class TestTexts
{
    private static readonly string[] Sentences =
    [
        "Cats sleep.",
        "The library opens at nine in the morning and closes at six in the evening.",
        "A quiet room on the second floor holds old maps of the city, the river and the harbour.",
        "Dogs are friendly and loyal.",
        "Students come to read books, write papers and search the catalogue for articles about history, science, music and art.",
        "Horses, cows and sheep live on the farm near the village.",
        "Rain.",
    ];

    /// <summary><paramref name="count"/> distinct texts from one to several sentences long.</summary>
    public static string[] Varied(int count)
    {
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var sentences = 1 + i * 7 % 5;
            texts[i] = string.Join(' ', Enumerable.Range(i, sentences).Select(s => Sentences[s % Sentences.Length])) + $" Item {i}.";
        }
        return texts;
    }
}
