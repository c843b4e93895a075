using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Llm.Loading;
using Rag.Llm.Serving;

namespace Rag.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>Registers the local ONNX model as the <see cref="IChatClient"/>, configured from the "Llm" section
    /// (validated at start-up). The model loads once, on first use, and serves every request; an unusable folder is
    /// reported as an <see cref="OptionsValidationException"/>.</summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LlmOptions>()
            .Bind(configuration.GetSection("Llm"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new LlmMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => Load(sp.GetRequiredService<IOptions<LlmOptions>>().Value, sp.GetRequiredService<LlmMetrics>()));
        services.AddSingleton(sp => sp.GetRequiredService<LlmModel>().CreateChatClient());
        services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<OnnxChatClient>());
        return services;
    }

    // A folder that is not a usable model is a configuration error like a missing one: hosts report its message alone.
    private static LlmModel Load(LlmOptions options, LlmMetrics metrics)
    {
        try
        {
            return LlmModel.Load(options, metrics);
        }
        catch (Exception ex) when (ex is ModelLoadException or IOException or InvalidDataException or JsonException)
        {
            throw new OptionsValidationException("Llm", typeof(LlmOptions),
                [$"The LLM in Llm:ModelPath '{options.ModelPath}' could not be loaded: {ex.Message}"]);
        }
    }
}
