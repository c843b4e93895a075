namespace Rag.Retrieval.Extraction;

/// <summary>
/// The text of a document and its structure. Offsets index into <see cref="Text"/>; for plain text
/// and Markdown that is the source itself, for the other formats the visible text extracted from it.
/// </summary>
/// <param name="Sections">Ranges under a heading, in order; text before the first heading has an empty path.</param>
/// <param name="Pages">Page ranges for paginated formats (PDF), empty otherwise.</param>
public sealed record ExtractedDocument(
    string Text,
    SourceFormat Format,
    IReadOnlyList<TextSection> Sections,
    IReadOnlyList<TextPage> Pages);

/// <summary>Characters [<paramref name="Start"/>, <paramref name="End"/>) under the headings in <paramref name="Path"/>.</summary>
public sealed record TextSection(int Start, int End, IReadOnlyList<string> Path);

/// <summary>Characters [<paramref name="Start"/>, <paramref name="End"/>) on page <paramref name="Number"/> (1-based).</summary>
public sealed record TextPage(int Number, int Start, int End);
