using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Rag.Api.Hosting;
using Rag.Retrieval;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Storage;
using Rag.Api.Observability;

namespace Rag.Api.Endpoints.OpenAi;

/// <summary>What the OpenAI-compatible handlers need, as one <c>[AsParameters]</c> argument.</summary>
public sealed record OpenAiServices(
    IChatClient Chat,
    LoadedModels Models,
    DocumentStore Store,
    Embedder Embedder,
    Answerer Answerer,
    ApiMetrics Metrics,
    IOptions<ApiOptions> Options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json);
