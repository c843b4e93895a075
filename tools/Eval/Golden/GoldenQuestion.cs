namespace Rag.Eval.Golden;

/// <summary>
/// One line of a golden set: a question, the documents that answer it (names as uploaded, or ids), and optionally
/// facts a correct answer states (matched case-insensitively as substrings).
/// </summary>
public sealed record GoldenQuestion(string Id, string Question, IReadOnlyList<string> Expected, IReadOnlyList<string> Facts)
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>True when <paramref name="documentName"/> or <paramref name="documentId"/> is one of <see cref="Expected"/>.</summary>
    public bool Expects(string documentName, Guid documentId)
    {
        foreach (var expected in Expected)
        {
            if (string.Equals(expected, documentName, StringComparison.OrdinalIgnoreCase)
                || (Guid.TryParse(expected, out var id) && id == documentId))
            {
                return true;
            }
        }
        return false;
    }
}
