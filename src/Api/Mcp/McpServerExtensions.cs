using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Protocol;
using Rag.Retrieval.Storage;

namespace Rag.Api.Mcp;

/// <summary>
/// The MCP server (Streamable HTTP at <c>/mcp</c>) for Claude Desktop, VS Code, Semantic Kernel's MCP client and the like.
/// </summary>
public static class McpServerExtensions
{
    public const string Path = "/mcp";

    public static IServiceCollection AddRagMcp(this IServiceCollection services)
    {
        services.TryAddSingleton<DocumentText>();
        services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "rag", Version = "1.0" })
            // Stateless: every request stands alone, so any replica behind a load balancer can serve any call,
            // and each call is authenticated with its own API key.
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<RagTools>(McpJson.Options)
            .WithResources<DocumentResources>();
        return services;
    }

    /// <summary>Maps <c>/mcp</c> behind the same API keys as <c>/v1</c>; each tool checks the key's collections.</summary>
    public static IEndpointConventionBuilder MapRagMcp(this IEndpointRouteBuilder app) => app.MapMcp(Path).RequireAuthorization();
}
