using Rag.ModelForge;
using Rag.ModelForge.Decoder;
using Rag.TestSupport;

namespace Rag.Api.Tests.Infrastructure;

/// <summary>
/// The service on a SmolLM2-135M-shaped decoder with a tied head, so it never ends its turn and spends tens of
/// milliseconds a token: a single generation outlasts a one-second time limit. (The batched engine writes thousands of
/// the small demo decoder's tokens in under a second.)
/// </summary>
public class SlowDecoderServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Llm:ModelPath"] = ForgedModels.Decoder(new DecoderOptions("smollm2-135m", TieWordEmbeddings: true, WordBias: false));
}

/// <summary>
/// The service on the demo decoder's shape with a tied head and without the demo's word bias: greedy decoding repeats
/// a visible token until <c>max_tokens</c>, so a long generation streams text all the way.
/// </summary>
public class EndlessDecoderServer : ApiServer
{
    public static string Decoder => ForgedModels.Decoder(new DecoderOptions(Presets.Demo, TieWordEmbeddings: true, WordBias: false));

    protected override void Configure(IDictionary<string, string?> settings) => settings["Llm:ModelPath"] = Decoder;
}
