using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Rag.Embedding.Reranking;

namespace Rag.Embedding;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="EmbeddingOptions"/> from the <c>Embedding</c> section of <paramref name="configuration"/> (validated at start-up) and registers
    /// its <see cref="EmbeddingMetrics"/> (from the host's <see cref="IMeterFactory"/> when there is one) and one <see cref="OnnxEmbeddingGenerator"/>, also as <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.
    /// The model loads on first use (an unusable folder is reported as an <see cref="OptionsValidationException"/>); the container disposes it.
    /// </summary>
    public static IServiceCollection AddEmbedding(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EmbeddingOptions>()
            .Bind(configuration.GetSection("Embedding"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new EmbeddingMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => Load(sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value, sp.GetRequiredService<EmbeddingMetrics>()));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<OnnxEmbeddingGenerator>());
        return services.AddReranker(configuration);
    }

    /// <summary>
    /// The cross-encoder, which stays local whichever embedder runs: only a configured <c>Reranker:ModelPath</c> binds,
    /// validates and registers <see cref="RerankerOptions"/> and an <see cref="OnnxReranker"/> (loaded as the embedder is).
    /// </summary>
    public static IServiceCollection AddReranker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reranker = configuration.GetSection("Reranker");
        if (!string.IsNullOrWhiteSpace(reranker[nameof(RerankerOptions.ModelPath)]))
        {
            services.AddOptions<RerankerOptions>().Bind(reranker).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton(sp => LoadReranker(sp.GetRequiredService<IOptions<RerankerOptions>>().Value));
        }
        return services;
    }

    // A folder that is not a usable model is a configuration error like a missing one: hosts report its message alone.
    private static OnnxEmbeddingGenerator Load(EmbeddingOptions options, EmbeddingMetrics metrics) =>
        LoadOrExplain(() => OnnxEmbeddingGenerator.Load(options, metrics), "embedding model", "Embedding", options.ModelPath, typeof(EmbeddingOptions));

    private static OnnxReranker LoadReranker(RerankerOptions options) =>
        LoadOrExplain(() => OnnxReranker.Load(options), "reranker", "Reranker", options.ModelPath, typeof(RerankerOptions));

    private static T LoadOrExplain<T>(Func<T> load, string what, string section, string path, Type optionsType)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or IOException or InvalidDataException or JsonException or NotSupportedException)
        {
            throw new OptionsValidationException(section, optionsType, [$"The {what} in {section}:ModelPath '{path}' could not be loaded: {ex.Message}"]);
        }
    }
}
