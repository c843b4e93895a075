using Rag.Api.Contracts.Rag;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Search;

namespace Rag.Api.Mcp;

/// <summary>The <c>search</c> tool's structured result.</summary>
internal sealed record SearchToolResult(IReadOnlyList<SearchHit> Hits);

/// <summary>The <c>ask</c> tool's structured result: the answer, the sources cited as [n], and every passage shown.</summary>
/// <param name="FinishReason"><c>stop</c>, or <c>length</c> when the answer reached its token limit.</param>
internal sealed record AskToolResult(
    string Answer, IReadOnlyList<Citation> Citations, IReadOnlyList<SourceDto> Sources, bool Abstained, string FinishReason);

/// <summary>The <c>get_document</c> tool's structured result: the document, its resource URI and its text.</summary>
internal sealed record DocumentToolResult(DocumentDto Document, string Uri, string Text);
