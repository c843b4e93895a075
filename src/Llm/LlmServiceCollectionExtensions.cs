using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Llm.Serving;

namespace Rag.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>Registers the local ONNX model as the <see cref="IChatClient"/>, configured from the "Llm" section
    /// (validated at start-up). The model loads once, on first use, and serves every request.</summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LlmOptions>()
            .Bind(configuration.GetSection("Llm"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new LlmMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => LlmModel.Load(sp.GetRequiredService<IOptions<LlmOptions>>().Value, sp.GetRequiredService<LlmMetrics>()));
        services.AddSingleton(sp => sp.GetRequiredService<LlmModel>().CreateChatClient());
        services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<OnnxChatClient>());
        return services;
    }
}
