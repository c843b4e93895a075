using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Rag.TestSupport;

/// <summary>Starts a web application on Kestrel over loopback (a real socket, not the in-memory TestServer) in the
/// Production environment, with <paramref name="settings"/> as configuration keys.</summary>
public static class LoopbackService
{
    public static async Task<WebApplicationFactory<TEntryPoint>> StartAsync<TEntryPoint>(IReadOnlyDictionary<string, string?> settings)
        where TEntryPoint : class
    {
        var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            // Without a URL the service takes its default, 127.0.0.1:8080, which a running ./run.sh already holds.
            builder.UseSetting("urls", "http://127.0.0.1:0");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        factory.UseKestrel(0);
        try
        {
            await Task.Run(factory.StartServer);
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
        return factory;
    }
}
