using System.Text;

namespace Rag.Retrieval.Extraction;

/// <summary>
/// Accumulates extracted text while tracking the heading stack, so each heading starts a section
/// whose path is the chain of enclosing headings (an h2 under an h1 gives [h1, h2]).
/// </summary>
internal sealed class SectionBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<TextSection> _sections = [];
    private readonly List<(int Level, string Title)> _headings = [];
    private int _sectionStart;

    public int Length => _text.Length;

    /// <summary>Appends a block of text as its own paragraph.</summary>
    public void AppendParagraph(string paragraph)
    {
        var trimmed = paragraph.Trim();
        if (trimmed.Length == 0)
        {
            return;
        }
        if (_text.Length > 0)
        {
            _text.Append("\n\n");
        }
        _text.Append(trimmed);
    }

    public void AppendHeading(int level, string title)
    {
        var trimmed = title.Trim();
        if (trimmed.Length == 0)
        {
            return;
        }
        StartSection(level, trimmed);
        AppendParagraph(trimmed);
    }

    private void StartSection(int level, string title)
    {
        CloseSection(_text.Length);
        _headings.RemoveAll(h => h.Level >= level);
        _headings.Add((level, title));
        // The heading's paragraph starts after the separator AppendParagraph writes.
        _sectionStart = _text.Length == 0 ? 0 : _text.Length + 2;
    }

    public (string Text, IReadOnlyList<TextSection> Sections) Build()
    {
        CloseSection(_text.Length);
        return (_text.ToString(), _sections);
    }

    private void CloseSection(int end)
    {
        if (end > _sectionStart)
        {
            _sections.Add(new TextSection(_sectionStart, end, _headings.Select(h => h.Title).ToArray()));
        }
    }
}
