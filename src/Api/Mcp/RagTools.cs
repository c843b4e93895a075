using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Rag.Api.Auth;
using Rag.Api.Contracts.Rag;
using Rag.Api.Contracts.Text;
using Rag.Api.Endpoints;
using Rag.Api.Endpoints.Asking;
using Rag.Api.Endpoints.Documents;
using Rag.Api.Errors;
using Rag.Api.Hosting;
using Rag.Retrieval;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Ingestion;
using Rag.Retrieval.Search;
using Rag.Retrieval.Storage;

namespace Rag.Api.Mcp;

/// <summary>
/// The service's MCP tools. Each is the matching HTTP endpoint over the same Retrieval services, with the same checks
/// (collection name, the key's collections, limits) and the same problem details as tool errors.
/// Argument names are snake_case like the HTTP API's JSON fields.
/// </summary>
[McpServerToolType]
internal sealed class RagTools(
    CollectionStore collections,
    DocumentStore documents,
    DocumentText documentText,
    Embedder embedder,
    ChunkSearch search,
    Answerer answerer,
    IngestionPipeline pipeline,
    IngestionJobs jobs,
    IOptions<ApiOptions> options,
    ILogger<RagTools> logger)
{
    private const int MaxTopK = 100;
    private const int MaxNameLength = 512;

    [McpServerTool(Name = "list_collections", ReadOnly = true, UseStructuredContent = true, OutputSchemaType = typeof(CollectionListResponse))]
    [Description("Lists the document collections this API key may use, with their document and chunk counts.")]
    public Task<CallToolResult> ListCollectionsAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        ToolResults.RunAsync(async () =>
        {
            var user = User(context);
            var visible = (await collections.ListAsync(cancellationToken))
                .Where(c => CollectionAccess.Allows(user, c.Name))
                .Select(CollectionDto.From)
                .ToList();
            var text = visible.Count == 0
                ? "No collections yet; ingest_text creates one."
                : string.Join('\n', visible.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name}: {c.Documents} document(s), {c.Chunks} chunk(s)")));
            return ToolResults.Success(new CollectionListResponse(visible), text);
        }, logger, cancellationToken);

    [McpServerTool(Name = "search", ReadOnly = true, UseStructuredContent = true, OutputSchemaType = typeof(SearchToolResult))]
    [Description("Finds the passages of a collection nearest to a query, each with its document, section, page and score.")]
    public Task<CallToolResult> SearchAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("What to look for: a question or keywords.")] string query,
        [Description("The collection to search.")] string collection,
        [Description("How many passages to return, 1 to 100; default 5.")] int? top_k = null,
        [Description("'vector' (meaning) or 'hybrid' (meaning and shared words).")] SearchMode mode = SearchMode.Vector,
        [Description("Tag filter, e.g. {\"lang\": \"en\"} or {\"$or\": [{\"team\": \"a\"}, {\"team\": \"b\"}]}.")] JsonElement? filter = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(query))
            {
                return ToolResults.Error(Problems.BadRequest("'query' is required: what to look for."));
            }
            var maxLength = options.Value.MaxQuestionLength;
            if (query.Length > maxLength)
            {
                return ToolResults.Error(Problems.QueryTooLong(query.Length, maxLength));
            }
            if ((InvalidText(("query", query), ("collection", collection)) ?? InvalidText(filter)
                ?? await CheckAsync(context, collection, top_k, cancellationToken)) is { } problem)
            {
                return problem;
            }
            var result = await search.SearchAsync(Request(query, collection, top_k, mode, filter), cancellationToken);
            if (result.Hits.Count == 0)
            {
                return ToolResults.Success(new SearchToolResult(result.Hits), "No passages found.");
            }
            // Passages fenced as quoted data, as a model reads sources everywhere else; the links to whole documents
            // (made of the collection's name and an id, no document text) follow outside the fences.
            var text = new StringBuilder(AnswerPrompt.FencedPassages(result.Hits)).Append("\n\nWhole documents (resources/read):");
            for (var i = 0; i < result.Hits.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n[{i + 1}] <{DocumentUri.For(collection, result.Hits[i].DocumentId)}>");
            }
            return ToolResults.Success(new SearchToolResult(result.Hits), text.ToString());
        }, logger, cancellationToken);

    [McpServerTool(Name = "ask", ReadOnly = true, UseStructuredContent = true, OutputSchemaType = typeof(AskToolResult))]
    [Description("Answers a question from a collection's documents only, citing the passages used as [n]; says so when the documents do not hold the answer.")]
    public Task<CallToolResult> AskAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("The question.")] string question,
        [Description("The collection to answer from.")] string collection,
        [Description("How many passages to retrieve, 1 to 100; default 5.")] int? top_k = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(question))
            {
                return ToolResults.Error(Problems.BadRequest("'question' is required."));
            }
            var maxLength = options.Value.MaxQuestionLength;
            if (question.Length > maxLength)
            {
                return ToolResults.Error(Problems.QuestionTooLong(question.Length, maxLength));
            }
            if ((InvalidText(("question", question), ("collection", collection)) ?? await CheckAsync(context, collection, top_k, cancellationToken)) is { } problem)
            {
                return problem;
            }
            var answer = await answerer.AskAsync(Request(question, collection, top_k, SearchMode.Vector, null), cancellationToken: cancellationToken);
            var result = new AskToolResult(
                answer.Text, answer.Citations, AnswerMapping.ToDto(answer.Sources), answer.Abstained, OpenAiEndpoints.FinishReason(answer.FinishReason));
            var text = new StringBuilder(answer.Text.Trim());
            foreach (var citation in answer.Citations)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n[{citation.Number}] {citation.DocumentName} <{DocumentUri.For(collection, citation.DocumentId)}>");
            }
            // Each cited document once, as a link the client can read with resources/read.
            var links = answer.Citations.DistinctBy(c => c.DocumentId).Select(c => new ResourceLinkBlock
            {
                Uri = DocumentUri.For(collection, c.DocumentId),
                Name = c.DocumentName,
                MimeType = "text/plain",
            });
            return ToolResults.Success(result, text.ToString(), links);
        }, logger, cancellationToken);

    [McpServerTool(Name = "ingest_text", Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(DocumentDto))]
    [Description("Stores a text (a note, a pasted document) in a collection, creating the collection if needed, so later searches and questions find it.")]
    public Task<CallToolResult> IngestTextAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("The collection to add the text to.")] string collection,
        [Description("A short name used when citing it, e.g. 'meeting-notes.md'; the extension tells the format (.md, .txt, .html).")] string name,
        [Description("The text.")] string text,
        [Description("Tags to filter searches by, e.g. {\"lang\": \"en\"}.")] Dictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(async () =>
        {
            if (CollectionRouteFilter.Check(User(context), collection) is { } denied)
            {
                return ToolResults.Error(denied);
            }
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || string.IsNullOrEmpty(text))
            {
                return ToolResults.Error(Problems.BadRequest(
                    $"The document is missing fields or has invalid ones: 'name' needs 1 to {MaxNameLength} characters and 'text' is required."));
            }
            if (InvalidText(("collection", collection), ("name", name), ("text", text)) is { } invalid)
            {
                return invalid;
            }
            foreach (var (key, value) in tags ?? [])
            {
                if (InvalidText(("tags", key), ($"tags.{key}", value)) is { } invalidTag)
                {
                    return invalidTag;
                }
            }
            if (UploadReader.ValidateTags(tags) is { } tagError)
            {
                return ToolResults.Error(Problems.BadRequest(tagError, "Invalid tags"));
            }
            var content = Encoding.UTF8.GetBytes(text);
            if (content.Length > options.Value.MaxUploadBytes)
            {
                return ToolResults.Error(413, "Payload too large", "The request body is larger than the configured limit (Api:MaxUploadBytes).");
            }
            var upload = new IngestRequest(name, content) { Collection = collection, Tags = tags ?? [] };
            var (extracted, tooLarge) = UploadPlan.Decide([upload], pipeline, options.Value, cancellationToken);
            if (tooLarge is not null)
            {
                return ToolResults.Error(tooLarge);
            }
            DocumentDto document;
            if (extracted[0] is { } read)
            {
                var ingested = await pipeline.IngestAsync(upload, read, cancellationToken);
                document = DocumentMapping.ToDto(ingested.Document, ingested.Timings, ingested.Outcome == StoreOutcome.Duplicate);
            }
            else
            {
                var job = await jobs.EnqueueAsync(upload, collection, cancellationToken);
                document = new DocumentDto(job, collection, name, DocumentStatus.Pending, DocumentMapping.Url(collection, job));
            }
            var summary = document.Status == DocumentStatus.Pending
                ? $"Queued as {document.Id}; get_document shows when it is stored."
                : document.Duplicate == true
                    ? $"This text was already stored as document {document.Id} ('{document.Name}')."
                    : string.Create(CultureInfo.InvariantCulture, $"Stored document {document.Id} ('{document.Name}') as {document.ChunkCount} chunk(s): {DocumentUri.For(collection, document.Id)}");
            return ToolResults.Success(document, summary);
        }, logger, cancellationToken);

    [McpServerTool(Name = "get_document", ReadOnly = true, UseStructuredContent = true, OutputSchemaType = typeof(DocumentToolResult))]
    [Description("Reads a stored document of a collection: its name, tags and full text (or the status of a queued upload).")]
    public Task<CallToolResult> GetDocumentAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("The collection holding the document.")] string collection,
        [Description("The document's id, as search, ask and ingest_text report it.")] Guid id,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(async () =>
        {
            if (CollectionRouteFilter.Check(User(context), collection) is { } denied)
            {
                return ToolResults.Error(denied);
            }
            var found = await DocumentLookup.FindAsync(documents, jobs,
                async () => await documents.FindCollectionAsync(collection, await embedder.GetModelAsync(cancellationToken), cancellationToken),
                collection, id, cancellationToken);
            if (found is { Collection: { } info, Document: { } stored })
            {
                var text = await documentText.ReadAsync(info, stored.Id, cancellationToken);
                var dto = DocumentMapping.ToDto(stored, found.Job?.Timings);
                return ToolResults.Success(new DocumentToolResult(dto, DocumentUri.For(collection, stored.Id), text), text);
            }
            if (found.Job is { } job)
            {
                var queued = DocumentMapping.ToDto(job);
                return ToolResults.Success(new DocumentToolResult(queued, DocumentUri.For(collection, id), ""), $"Upload {id} is {queued.Status.ToString().ToLowerInvariant()}.");
            }
            return ToolResults.Error(found.Collection is null ? Problems.CollectionNotFound(collection) : Problems.DocumentNotFound(collection, id));
        }, logger, cancellationToken);

    // Arguments are held to the text rules of HTTP bodies, with the same problem: a NUL or unpaired surrogate never
    // reaches PostgreSQL (which cannot store it) as a server error.
    private static CallToolResult? InvalidText(params ReadOnlySpan<(string Name, string? Value)> arguments)
    {
        foreach (var (name, value) in arguments)
        {
            if (value is not null && TextRules.Flaw(value) is { } flaw)
            {
                return ToolResults.Error(Problems.BadRequest(TextRules.Describe($"'{name}'", flaw), "Invalid text"));
            }
        }
        return null;
    }

    // A filter's strings are checked by reading it again through the converter HTTP bodies use, which names the place.
    private static CallToolResult? InvalidText(JsonElement? filter)
    {
        if (filter is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } f)
        {
            return null;
        }
        try
        {
            JsonSerializer.Deserialize<JsonElement>(f.GetRawText(), StrictFilterJson);
            return null;
        }
        catch (InvalidTextException invalid)
        {
            return ToolResults.Error(Problems.BadRequest(invalid.Message.Replace("'$", "'filter", StringComparison.Ordinal), "Invalid text"));
        }
    }

    private static readonly JsonSerializerOptions StrictFilterJson = new() { Converters = { new StrictJsonElementConverter() } };

    // An authenticated call always carries its user; a missing one is treated as a key with no collections.
    private static ClaimsPrincipal User(RequestContext<CallToolRequestParams> context) => context.User ?? new ClaimsPrincipal();

    private async Task<CallToolResult?> CheckAsync(RequestContext<CallToolRequestParams> context, string collection, int? topK, CancellationToken cancellationToken)
    {
        if (CollectionRouteFilter.Check(User(context), collection) is { } denied)
        {
            return ToolResults.Error(denied);
        }
        if (topK is < 1 or > MaxTopK)
        {
            return ToolResults.Error(Problems.BadRequest($"'top_k' must be between 1 and {MaxTopK}."));
        }
        return await documents.FindCollectionAsync(collection, await embedder.GetModelAsync(cancellationToken), cancellationToken) is null
            ? ToolResults.Error(Problems.CollectionNotFound(collection))
            : null;
    }

    private static SearchRequest Request(string query, string collection, int? topK, SearchMode mode, JsonElement? filter) => new(query)
    {
        Collection = collection,
        TopK = topK,
        Mode = mode,
        Filter = filter is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } f ? TagFilterParser.Parse(f) : null,
    };
}
