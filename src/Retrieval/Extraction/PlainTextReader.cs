namespace Rag.Retrieval.Extraction;

internal static class PlainTextReader
{
    public static ExtractedDocument Read(string text) =>
        new(text, SourceFormat.PlainText, [new TextSection(0, text.Length, [])], []);
}
