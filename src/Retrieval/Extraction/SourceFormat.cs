namespace Rag.Retrieval.Extraction;

public enum SourceFormat
{
    PlainText,
    Markdown,
    Html,
    Pdf,
    Docx,
}
