using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using OpenAI;
using Rag.Api.Observability;
using Rag.Embedding;
using Rag.Embedding.Reranking;
using Rag.Llm;
using Rag.Llm.Serving;
using Rag.Retrieval;
using Rag.Retrieval.Search;
using Rag.Tokenizers;

namespace Rag.Api.Hosting;

/// <summary>
/// Chooses each model's backend — the local ONNX folder, or an OpenAI-compatible server when the section's
/// <c>Endpoint</c> is set — and registers what Retrieval needs from it: the MEAI interface (traced in the OpenTelemetry
/// GenAI conventions), the keyed tokenizer that budgets prompts and chunks, and the model's token window.
/// Nothing past this file knows which backend runs.
/// </summary>
internal static class ModelBackends
{
    public const string LlmSection = "Llm";
    public const string EmbeddingSection = "Embedding";

    /// <summary>A remote LLM's context window when <c>Llm:MaxTokens</c> does not say: small enough for any current server.</summary>
    public const int DefaultRemoteContextTokens = 4096;

    /// <summary>A remote embedder's input limit when <c>Embedding:MaxTokens</c> does not say: BERT-family models' 512.</summary>
    public const int DefaultRemoteEmbeddingTokens = 512;

    public static void AddChatModel(IServiceCollection services, IConfiguration configuration)
    {
        if (IsRemote(configuration, LlmSection))
        {
            AddRemoteOptions(services, configuration, LlmSection);
            services.AddSingleton<IChatClient>(sp =>
            {
                var remote = Remote(sp, LlmSection);
                var client = new RemoteChatClient(OpenAi(remote).GetChatClient(remote.Model).AsIChatClient(), remote);
                return client.AsBuilder().UseOpenTelemetry(sourceName: ApiTelemetry.LlmSource).Build(sp);
            });
            services.AddKeyedSingleton(RetrievalServiceKeys.ChatTokenizer, (sp, _) => TokenizerFor(Remote(sp, LlmSection)));
            services.AddSingleton(sp => new ChatWindow(Remote(sp, LlmSection).MaxTokens ?? DefaultRemoteContextTokens));
            return;
        }
        services.AddLlm(configuration);
        // The middleware forwards GetService, so the model's metadata still shows.
        services.Replace(ServiceDescriptor.Singleton<IChatClient>(sp =>
            sp.GetRequiredService<OnnxChatClient>().AsBuilder().UseOpenTelemetry(sourceName: ApiTelemetry.LlmSource).Build(sp)));
        services.AddKeyedSingleton<Tokenizer>(RetrievalServiceKeys.ChatTokenizer, (sp, _) => sp.GetRequiredService<LlmModel>().Tokenizer.AsTokenizer());
        services.AddSingleton(sp => new ChatWindow(sp.GetRequiredService<LlmModel>().Generator.ContextLength));
    }

    public static void AddEmbeddingModel(IServiceCollection services, IConfiguration configuration)
    {
        if (IsRemote(configuration, EmbeddingSection))
        {
            AddRemoteEmbedding(services, configuration);
            // The cross-encoder stays local even when the embedder is remote (AddEmbedding registers it otherwise).
            services.AddReranker(configuration);
        }
        else
        {
            AddLocalEmbedding(services, configuration);
        }
        if (HasReranker(configuration))
        {
            services.AddSingleton<IPassageReranker>(sp => new CrossEncoderReranker(sp.GetRequiredService<OnnxReranker>()));
        }
    }

    private static void AddRemoteEmbedding(IServiceCollection services, IConfiguration configuration)
    {
        AddRemoteOptions(services, configuration, EmbeddingSection);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            var remote = Remote(sp, EmbeddingSection);
            // The same keys as a local model's, which a remote server cannot read from the model's folder for us.
            var section = configuration.GetSection(EmbeddingSection);
            var generator = new RemoteEmbeddingGenerator(OpenAi(remote).GetEmbeddingClient(remote.Model).AsIEmbeddingGenerator(), remote,
                section[nameof(EmbeddingOptions.QueryPrefix)] ?? "", section[nameof(EmbeddingOptions.PassagePrefix)] ?? "");
            return generator.AsBuilder().UseOpenTelemetry(sourceName: ApiTelemetry.EmbeddingSource).Build(sp);
        });
        services.AddKeyedSingleton(RetrievalServiceKeys.EmbeddingTokenizer, (sp, _) => TokenizerFor(Remote(sp, EmbeddingSection)));
        services.AddSingleton(sp => new EmbeddingWindow(Remote(sp, EmbeddingSection).MaxTokens ?? DefaultRemoteEmbeddingTokens));
    }

    private static void AddLocalEmbedding(IServiceCollection services, IConfiguration configuration)
    {
        services.AddEmbedding(configuration);
        services.Replace(ServiceDescriptor.Singleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            sp.GetRequiredService<OnnxEmbeddingGenerator>().AsBuilder().UseOpenTelemetry(sourceName: ApiTelemetry.EmbeddingSource).Build(sp)));
        services.AddKeyedSingleton<Tokenizer>(RetrievalServiceKeys.EmbeddingTokenizer, (sp, _) => sp.GetRequiredService<OnnxEmbeddingGenerator>().Tokenizer);
        // The chunker counts without the [CLS]/[SEP] the embedder adds around every text.
        services.AddSingleton(sp =>
        {
            var embedder = sp.GetRequiredService<OnnxEmbeddingGenerator>();
            return new EmbeddingWindow(embedder.MaxSequenceLength - embedder.SpecialTokensPerText);
        });
    }

    private static bool HasReranker(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Reranker:ModelPath"]);

    private static bool IsRemote(IConfiguration configuration, string section) =>
        !string.IsNullOrWhiteSpace(configuration.GetSection(section)[nameof(RemoteModelOptions.Endpoint)]);

    private static void AddRemoteOptions(IServiceCollection services, IConfiguration configuration, string section)
    {
        services.AddOptions<RemoteModelOptions>(section).Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemoteModelOptions>, RemoteModelOptionsValidator>());
    }

    private static RemoteModelOptions Remote(IServiceProvider services, string section) =>
        services.GetRequiredService<IOptionsMonitor<RemoteModelOptions>>().Get(section);

    private static OpenAIClient OpenAi(RemoteModelOptions remote) =>
        new(new ApiKeyCredential(string.IsNullOrEmpty(remote.ApiKey) ? "unused" : remote.ApiKey), new OpenAIClientOptions
        {
            Endpoint = remote.Endpoint,
            RetryPolicy = new ClientRetryPolicy(remote.MaxRetries),
            NetworkTimeout = TimeSpan.FromSeconds(remote.TimeoutSeconds),
        });

    private static Tokenizer TokenizerFor(RemoteModelOptions remote)
    {
        if (remote.TokenizerPath is not { } path)
        {
            return new EstimatedTokenizer();
        }
        return (Directory.Exists(path) ? HfTokenizer.Load(path) : HfTokenizer.FromJson(File.ReadAllText(path))).AsTokenizer();
    }
}

/// <summary>The LLM's context window in tokens: what a grounded prompt and its answer must fit.</summary>
internal sealed record ChatWindow(int Tokens);

/// <summary>The longest text, in the chunker's tokens, the embedder reads in full.</summary>
internal sealed record EmbeddingWindow(int Tokens);
