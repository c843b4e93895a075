namespace Rag.Retrieval.Extraction;

/// <summary>
/// A document exceeded one of the <see cref="ExtractionOptions"/> budgets (maps to HTTP 422; a queued upload fails
/// for good, since a retry would exceed it again). The message names the file, the limit and its setting.
/// </summary>
public sealed class ExtractionBudgetExceededException(string fileName, string setting, string message)
    : DocumentExtractionException(message)
{
    public override string FileName { get; } = fileName;

    /// <summary>The configuration key of the limit, e.g. <c>Extraction:MaxDepth</c>.</summary>
    public string Setting { get; } = setting;
}
