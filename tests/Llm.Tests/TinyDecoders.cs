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

    /// <summary>A generator with no end-of-sequence ids unless given, so lengths are decided by the test.</summary>
    public static Generator Generator(DecoderSession session, HfTokenizer tokenizer, LlmMetrics metrics, int[]? eos = null,
        int maxConcurrent = 4, int maxQueued = 16, int? contextLength = null) =>
        new(session, tokenizer, eos ?? [], contextLength ?? 256, new RequestGate(maxConcurrent, maxQueued), metrics);
}
