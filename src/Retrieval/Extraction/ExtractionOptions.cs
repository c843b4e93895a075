using System.ComponentModel.DataAnnotations;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Budgets every extractor runs under, bound from the <c>Extraction</c> section. Uploads come from people we do not
/// control: a few kilobytes can nest deep enough to overflow a parser's stack or expand to hundreds of megabytes,
/// so each limit is checked before or while the work it bounds is done, and exceeding one fails the document
/// (<see cref="ExtractionBudgetExceededException"/>, naming the setting) instead of the process.
/// </summary>
public sealed class ExtractionOptions
{
    public const string SectionName = "Extraction";

    /// <summary>
    /// Deepest element nesting: HTML elements, DOCX XML elements, Markdown containers, PDF arrays/dictionaries.
    /// Real documents stay far below it (the PostgreSQL manual: under 20); the parsers recurse per level.
    /// </summary>
    [Range(8, 4096)]
    public int MaxDepth { get; set; } = 128;

    /// <summary>Bytes a DOCX's ZIP parts or a PDF's compressed streams may expand to, all together.</summary>
    [Range(1L << 20, 1L << 32)]
    public long MaxDecompressedBytes { get; set; } = 128L << 20;

    /// <summary>Characters of extracted text; about 2,500 pages of prose at 4,000 characters a page.</summary>
    [Range(1_000, 500_000_000)]
    public int MaxCharacters { get; set; } = 10_000_000;

    /// <summary>Pages of a PDF.</summary>
    [Range(1, 1_000_000)]
    public int MaxPages { get; set; } = 2_000;

    /// <summary>Wall time for extracting one document.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxTime { get; set; } = TimeSpan.FromMinutes(2);

    internal static string Setting(string name) => $"{SectionName}:{name}";
}
