using Rag.Llm.Engine;
using Rag.Llm.Generation;
using Rag.Llm.Loading;
using Rag.Llm.Onnx;
using Rag.Llm.Serving;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Reference;
using Rag.TestSupport;
using Rag.Tokenizers;

namespace Rag.Llm.Tests;

/// <summary>The forge's tiny Llama in both exporter layouts, with the engine pieces tests assemble around it.</summary>
internal static class TinyDecoders
{
    private static readonly Lazy<DecoderReference> SharedReference = new(() => DecoderReference.For(new DecoderOptions()));

    /// <summary>"optimum", "gqa" or "merged" (Optimum's merged decoder with use_cache_branch).</summary>
    public static string Folder(string layout) => ForgedModels.Decoder(Options(layout));

    public static DecoderOptions Options(string layout) => layout switch
    {
        "gqa" => new DecoderOptions(Layout: Rag.ModelForge.Decoder.DecoderLayout.Gqa),
        "merged" => new DecoderOptions(Merged: true),
        _ => new DecoderOptions(),
    };

    /// <summary>The managed forward pass over the same weights (identical for both layouts).</summary>
    public static DecoderReference Reference => SharedReference.Value;

    public static DecoderSession Load(string layout) => DecoderSession.Load(ModelFolder.Open(Folder(layout)), ExecutionPlan.From("cpu", 0));

    public static HfTokenizer Tokenizer(string layout) => HfTokenizer.Load(Folder(layout));

    /// <summary>
    /// A SmolLM2-135M-shaped decoder (GQA layout, tied head, no word bias: it never ends a turn), for tests that cancel
    /// a running generation. It spends milliseconds a token; the engine does not wait for a stream's reader, and it ran
    /// through the demo-sized decoder's thousands of positions in under a second, at times before a cancel reached it.
    /// </summary>
    public static TestModel SlowModel()
    {
        var folder = ForgedModels.Decoder(new DecoderOptions("smollm2-135m", Layout: Rag.ModelForge.Decoder.DecoderLayout.Gqa,
            TieWordEmbeddings: true, WordBias: false));
        return new TestModel(DecoderSession.Load(ModelFolder.Open(folder), ExecutionPlan.From("cpu", 0)), HfTokenizer.Load(folder));
    }

    /// <summary>Room for <paramref name="sequences"/> sequences of <paramref name="contextLength"/> positions in either layout.</summary>
    public static long KvBytes(DecoderSession session, int sequences, int contextLength) =>
        sequences * 2L * contextLength * session.Layout.NumLayers * 2 * session.Layout.BytesPerPosition;
}

/// <summary>A loaded tiny decoder and the engines tests start on it; disposing stops the engines, then the session.</summary>
internal sealed class TestModel(DecoderSession session, HfTokenizer tokenizer) : IDisposable
{
    private readonly List<EngineLoop> _engines = [];

    public TestModel(string layout) : this(TinyDecoders.Load(layout), TinyDecoders.Tokenizer(layout))
    {
    }

    public DecoderSession Session { get; } = session;

    public HfTokenizer Tokenizer { get; } = tokenizer;

    public LlmMetrics Metrics { get; } = new();

    public EngineLoop? LastEngine => _engines.Count > 0 ? _engines[^1] : null;

    /// <summary>A generator on a fresh engine, with no end-of-sequence ids unless given, so lengths are decided by the test.</summary>
    public Generator Generator(int[]? eos = null, int maxConcurrent = 4, int maxQueued = 16, int? contextLength = null,
        long? kvBytes = null, int prefillChunkTokens = 0, long prefixCacheBytes = 0, int prefixBlockTokens = 4)
    {
        var context = contextLength ?? 256;
        var engine = new EngineLoop(Session, new EngineSettings(maxConcurrent, kvBytes ?? TinyDecoders.KvBytes(Session, maxConcurrent, context),
            context, maxQueued, prefillChunkTokens, prefixCacheBytes, prefixBlockTokens), Metrics);
        _engines.Add(engine);
        return new Generator(engine, Tokenizer, eos ?? [], context, Session.VocabSize, Metrics);
    }

    public void Dispose()
    {
        foreach (var engine in _engines)
        {
            engine.Dispose();
        }
        Session.Dispose();
        Metrics.Dispose();
    }
}
