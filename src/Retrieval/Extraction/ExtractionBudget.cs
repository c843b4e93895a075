namespace Rag.Retrieval.Extraction;

/// <summary>
/// One document's budgets while it is being read: the readers report depth, characters, pages and expanded bytes
/// as they go and poll the clock, and the first limit crossed throws an <see cref="ExtractionBudgetExceededException"/>
/// naming its setting. Not thread-safe: one document, one thread.
/// </summary>
internal sealed class ExtractionBudget(string fileName, ExtractionOptions options, TimeProvider clock, CancellationToken cancellationToken)
{
    private readonly long _started = clock.GetTimestamp();
    private long _decompressedBytes;

    public string FileName { get; } = fileName;

    public ExtractionOptions Options { get; } = options;

    /// <summary>Throws when the caller gave up or the document has used its wall time.</summary>
    public void CheckTime()
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (clock.GetElapsedTime(_started) > Options.MaxTime)
        {
            throw Exceeded(nameof(ExtractionOptions.MaxTime), $"took longer than {Options.MaxTime.TotalSeconds:0.#} s to extract");
        }
    }

    public void CheckDepth(int depth, string what)
    {
        if (depth > Options.MaxDepth)
        {
            throw DepthExceeded(what);
        }
    }

    public ExtractionBudgetExceededException DepthExceeded(string what) =>
        Exceeded(nameof(ExtractionOptions.MaxDepth), $"nests {what} deeper than {Options.MaxDepth} levels");

    public void CheckCharacters(long characters)
    {
        if (characters > Options.MaxCharacters)
        {
            throw Exceeded(nameof(ExtractionOptions.MaxCharacters), $"has more than {Options.MaxCharacters:N0} characters of text");
        }
    }

    public void CheckPages(int pages)
    {
        if (pages > Options.MaxPages)
        {
            throw Exceeded(nameof(ExtractionOptions.MaxPages), $"has {pages:N0} pages, more than {Options.MaxPages:N0}");
        }
    }

    /// <summary>Counts bytes a compressed part or stream expanded to, across the whole document.</summary>
    public void AddDecompressed(long bytes)
    {
        _decompressedBytes += bytes;
        if (_decompressedBytes > Options.MaxDecompressedBytes)
        {
            throw Exceeded(nameof(ExtractionOptions.MaxDecompressedBytes),
                $"expands to more than {Options.MaxDecompressedBytes:N0} bytes when decompressed");
        }
    }

    private ExtractionBudgetExceededException Exceeded(string name, string what)
    {
        var setting = ExtractionOptions.Setting(name);
        return new ExtractionBudgetExceededException(FileName, setting, $"'{FileName}' {what} (limit {setting}).");
    }
}
