namespace Rag.Retrieval.Search;

/// <summary>A tag filter could not be parsed; the message says where and why (maps to HTTP 400).</summary>
public sealed class TagFilterException(string message, Exception? inner = null) : FormatException(message, inner);
