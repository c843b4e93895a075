using Rag.Api.Observability;

namespace Rag.Api.Hosting;

/// <summary>Wires the concrete ONNX models into Retrieval and checks at start-up that everything they need is there.</summary>
public static class RagServicesExtensions
{
    public static WebApplicationBuilder AddRagServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddNpgsqlDataSource(builder.Configuration.GetConnectionString("Postgres") ?? "");
        return builder;
    }
}
