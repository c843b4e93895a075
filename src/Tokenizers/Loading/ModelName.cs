namespace Rag.Tokenizers.Loading;

/// <summary>
/// What users call the model in a folder: its Hugging Face name without the owner (<c>SmolLM2-360M-Instruct</c>).
/// <c>scripts/fetch-models.sh</c> downloads into role-named folders (<c>llm</c>, <c>embedding</c>) and records the
/// source in <c>.repo</c> (<c>owner/name@revision:graph</c>); any other folder is named for its model already.
/// </summary>
public static class ModelName
{
    public static string Of(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = Path.GetFullPath(folder);
        var record = Path.Combine(full, ".repo");
        if (File.Exists(record) && File.ReadLines(record).FirstOrDefault() is { Length: > 0 } line)
        {
            var repo = line.Split('@', 2)[0];
            var name = repo[(repo.LastIndexOf('/') + 1)..].Trim();
            if (name.Length > 0)
            {
                return name;
            }
        }
        return Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
    }
}
