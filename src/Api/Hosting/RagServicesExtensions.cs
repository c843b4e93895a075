using Microsoft.ML.Tokenizers;
using Rag.Api.Observability;
using Rag.Embedding;
using Rag.Retrieval;

namespace Rag.Api.Hosting;

/// <summary>Wires the concrete ONNX models into Retrieval and checks at start-up that everything they need is there.</summary>
public static class RagServicesExtensions
{
    public static WebApplicationBuilder AddRagServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton<Readiness>();
        services.AddSingleton<LoadedModels>();
        // Hosted services start in registration order: reach the database, migrate (Retrieval), then load the models.
        services.AddHostedService<DatabaseConnectionCheck>();
        services.AddEmbedding(configuration);
        services.AddKeyedSingleton<Tokenizer>(RetrievalServiceKeys.EmbeddingTokenizer, (sp, _) => sp.GetRequiredService<OnnxEmbeddingGenerator>().Tokenizer);
        services.AddRetrieval(configuration);
        services.AddHostedService<ModelWarmup>();
        return builder;
    }
}
