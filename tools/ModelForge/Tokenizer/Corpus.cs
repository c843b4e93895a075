namespace Rag.ModelForge.Tokenizer;

/// <summary>The built-in English text the tokenizers are learned from when no text is given.</summary>
public static class Corpus
{
    public static string BuiltIn { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(Corpus).Assembly.GetManifestResourceStream("Rag.ModelForge.Corpus.txt")
            ?? throw new InvalidOperationException("The built-in corpus resource is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
