using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.WebPage;

/// <summary>The service as <c>./run.sh</c> starts it with the untrained ModelForge models.</summary>
public sealed class DemoApiServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Api:DemoModels"] = "true";
}
