using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.Security;

/// <summary>The service with two API keys — one for everything, one limited to collection <c>team-a</c> — and a metrics key.</summary>
public sealed class KeyedApiServer : ApiServer
{
    public const string AdminKey = "admin-key-0123456789";
    public const string TeamKey = "team-a-key-0123456789";
    public const string MetricsKey = "metrics-key-0123456789";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Api:Keys:0:Key"] = AdminKey;
        settings["Api:Keys:0:Name"] = "admin";
        settings["Api:Keys:1:Key"] = TeamKey;
        settings["Api:Keys:1:Name"] = "team-a";
        settings["Api:Keys:1:Collections:0"] = "team-a";
        settings["Api:MetricsKey"] = MetricsKey;
    }
}
