using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Api.Hosting;
using Rag.Api.Tests.Infrastructure;
using Rag.Retrieval;
using Rag.TestSupport;

namespace Rag.Api.Tests.Remote;

/// <summary>
/// Two instances of the service: <see cref="Upstream"/> runs the forged ONNX models behind an API key;
/// <see cref="Downstream"/> has no model folders and uses the upstream's <c>/v1/chat/completions</c> and
/// <c>/v1/embeddings</c> as its LLM and embedding servers, with a query prefix configured.
/// </summary>
public sealed class RemoteBackedServers : IAsyncLifetime
{
    public const string UpstreamKey = "upstream-key-0123456789";

    /// <summary>Prepended by the downstream to queries only, as bge and arctic-embed want, before they reach the
    /// upstream's <c>/v1/embeddings</c>. (A passage prefix as well reorders the lexical test encoder's top hits.)</summary>
    public const string QueryPrefix = "query: ";

    public ApiServer Upstream { get; } = new UpstreamServer();

    public ApiServer Downstream { get; private set; } = null!;

    public HttpClient UpstreamClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Upstream.InitializeAsync();
        UpstreamClient = Upstream.CreateClient();
        UpstreamClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UpstreamKey);
        var models = Upstream.Services.GetRequiredService<LoadedModels>();
        var windows = Upstream.Services.GetRequiredService<IOptions<RetrievalOptions>>().Value;
        Downstream = new DownstreamServer(new Uri(Upstream.BaseAddress, "/v1"), models, windows);
        await Downstream.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        UpstreamClient.Dispose();
        await Downstream.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    private sealed class UpstreamServer : ApiServer
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["Api:Keys:0:Key"] = UpstreamKey;
    }

    // The remote models' tokenizers and windows are given as a deployment would give them, so both instances
    // chunk and budget alike.
    private sealed class DownstreamServer(Uri upstream, LoadedModels models, RetrievalOptions windows) : ApiServer
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Llm:ModelPath"] = null;
            settings["Embedding:ModelPath"] = null;
            settings["Llm:Endpoint"] = upstream.ToString();
            settings["Llm:Model"] = models.LlmId;
            settings["Llm:ApiKey"] = UpstreamKey;
            settings["Llm:TokenizerPath"] = ForgedModels.Decoder();
            settings["Llm:MaxTokens"] = windows.ChatContextTokens.ToString(CultureInfo.InvariantCulture);
            settings["Embedding:Endpoint"] = upstream.ToString();
            settings["Embedding:Model"] = models.EmbeddingId;
            settings["Embedding:ApiKey"] = UpstreamKey;
            settings["Embedding:TokenizerPath"] = ForgedModels.Encoder(lexical: true);
            settings["Embedding:QueryPrefix"] = QueryPrefix;
            settings["Retrieval:ChunkMaxTokens"] = windows.ChunkMaxTokens.ToString(CultureInfo.InvariantCulture);
            settings["Retrieval:ChunkOverlapTokens"] = windows.ChunkOverlapTokens.ToString(CultureInfo.InvariantCulture);
            settings["Retrieval:AnswerMaxTokens"] = windows.AnswerMaxTokens.ToString(CultureInfo.InvariantCulture);
        }
    }
}
