using Rag.Api.Tests.Infrastructure;
using Rag.ModelForge;
using Rag.ModelForge.Decoder;
using Rag.TestSupport;

namespace Rag.Api.Tests.WebPage;

/// <summary>The service as <c>./run.sh</c> starts it with the untrained ModelForge models (its demo decoder included).</summary>
public sealed class DemoApiServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Api:DemoModels"] = "true";
        settings["Llm:ModelPath"] = ForgedModels.Decoder(new DecoderOptions(Presets.Demo, Seed: 1, Layout: DecoderLayout.Optimum));
    }
}
