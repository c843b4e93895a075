namespace Rag.Retrieval.Extraction;

/// <summary>A document could not be turned into text; the message names the file and the problem.</summary>
public abstract class DocumentExtractionException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract string FileName { get; }
}

/// <summary>The file is of a type we do not read (maps to HTTP 415).</summary>
public sealed class UnsupportedDocumentException(string fileName, string message)
    : DocumentExtractionException(message)
{
    public override string FileName { get; } = fileName;
}

/// <summary>The file claims a type we read but its content is broken or empty (maps to HTTP 422).</summary>
public sealed class UnreadableDocumentException(string fileName, string message, Exception? inner = null)
    : DocumentExtractionException(message, inner)
{
    public override string FileName { get; } = fileName;
}
