using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.SemanticKernel;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Search;

namespace Rag.Retrieval.Plugin;

/// <summary>
/// The retrieval service as Semantic Kernel functions, for agents and function-calling models:
/// <c>kernel.ImportPluginFromObject(plugin, "rag")</c>.
/// </summary>
public sealed class RagPlugin(ChunkSearch search, Answerer answerer, IngestionPipeline pipeline)
{
    [KernelFunction("search")]
    [Description("Searches the user's documents for passages relevant to a query. Returns the best passages as numbered, quoted sources, each with its document name and, when known, its section and page. Use it to look facts up before answering.")]
    public async Task<string> SearchAsync(
        [Description("What to look for, as a natural-language question or keywords.")] string query,
        [Description("How many passages to return (1-20).")] int top = 5,
        [Description("The document collection to search; leave empty for the default collection.")] string? collection = null,
        CancellationToken cancellationToken = default)
    {
        var result = await search.SearchAsync(
            new SearchRequest(query) { Collection = NullIfEmpty(collection), TopK = Math.Clamp(top, 1, 20), Mode = SearchMode.Hybrid },
            cancellationToken);
        if (result.Hits.Count == 0)
        {
            return "No relevant passages found.";
        }
        return AnswerPrompt.FencedPassages(result.Hits);
    }

    [KernelFunction("ask")]
    [Description("Answers a question from the user's documents only, citing the passages used as [n] and listing them as sources. Says so when the documents do not contain the answer.")]
    public async Task<string> AskAsync(
        [Description("The question to answer.")] string question,
        [Description("The document collection to use; leave empty for the default collection.")] string? collection = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await answerer.AskAsync(new SearchRequest(question) { Collection = NullIfEmpty(collection) }, cancellationToken: cancellationToken);
        var text = new StringBuilder(answer.Text.Trim());
        if (answer.Citations.Count > 0)
        {
            text.Append("\n\nSources:");
            foreach (var citation in answer.Citations)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n[{citation.Number}] {citation.DocumentName}");
                if (citation.Page is int page)
                {
                    text.Append(CultureInfo.InvariantCulture, $", page {page}");
                }
            }
        }
        return text.ToString();
    }

    [KernelFunction("ingest_text")]
    [Description("Stores a piece of text (a note, a pasted document) in the user's documents so later searches and questions can use it. Returns the stored document's id.")]
    public async Task<string> IngestTextAsync(
        [Description("The text to store.")] string text,
        [Description("A short name for the text, used when citing it, e.g. 'meeting-notes.md'.")] string name,
        [Description("The document collection to add it to; leave empty for the default collection.")] string? collection = null,
        CancellationToken cancellationToken = default)
    {
        var fileName = Path.HasExtension(name) ? name : name + ".txt";
        var result = await pipeline.IngestAsync(
            new IngestRequest(fileName, Encoding.UTF8.GetBytes(text)) { Collection = NullIfEmpty(collection) }, cancellationToken: cancellationToken);
        return result.Outcome == Storage.StoreOutcome.Duplicate
            ? $"This text was already stored as document {result.Document.Id} ('{result.Document.Name}')."
            : $"Stored document {result.Document.Id} ('{result.Document.Name}') as {result.Document.ChunkCount} chunk(s).";
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
