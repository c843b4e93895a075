using System.Net.Http.Headers;
using ModelContextProtocol.Client;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Mcp;

/// <summary>
/// The service with an admin key and a key limited to collection <see cref="TeamA"/>; both collections hold the
/// <see cref="Corpus"/> documents.
/// </summary>
public sealed class McpApiServer : ApiServer
{
    public const string AdminKey = "mcp-admin-key-0123456789";
    public const string TeamKey = "mcp-team-a-key-0123456789";
    public const string TeamA = "team-a";
    public const string TeamB = "team-b";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Api:Keys:0:Key"] = AdminKey;
        settings["Api:Keys:1:Key"] = TeamKey;
        settings["Api:Keys:1:Collections:0"] = TeamA;
    }

    protected override async Task SeedAsync()
    {
        using var admin = HttpClientWith(AdminKey);
        await Corpus.SeedAsync(admin, TeamA);
        await Corpus.SeedAsync(admin, TeamB);
    }

    public HttpClient HttpClientWith(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The SDK's own client over Streamable HTTP, initialized against <c>/mcp</c> with <paramref name="key"/>.</summary>
    public async Task<McpClient> ConnectAsync(string key)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        });
        return await McpClient.CreateAsync(transport);
    }
}
