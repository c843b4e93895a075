using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Rag.Api.Hosting;

/// <summary>Says at start-up, once the addresses are known, when the service is open to anyone who reaches it.</summary>
internal sealed class OpenAccessWarning(IOptions<ApiOptions> options, IServer server, IHostApplicationLifetime lifetime, ILogger<OpenAccessWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Keys.Count == 0)
        {
            lifetime.ApplicationStarted.Register(Warn);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Warn()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            logger.LogWarning(
                "No API keys are configured (Api:Keys) and the service listens on {Addresses}: anyone who can reach it can read and change every collection. Configure Api__Keys__0__Key or listen on 127.0.0.1.",
                string.Join(", ", exposed));
        }
        else
        {
            logger.LogWarning(
                "No API keys are configured (Api:Keys): the service is open to every local user on {Addresses}. Configure Api__Keys__0__Key to require a key.",
                string.Join(", ", addresses));
        }
    }

    private static bool IsLoopback(string address)
    {
        var host = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal)).Host;
        return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
