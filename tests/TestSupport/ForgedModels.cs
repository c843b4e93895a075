using System.Collections.Concurrent;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Encoder;

namespace Rag.TestSupport;

/// <summary>
/// Process-wide cache of ModelForge model folders for tests: each distinct request is built once per test process
/// (thread-safe; concurrent callers wait for the same build) into a temporary directory removed at process exit.
/// The returned folder must be treated as read-only because other tests share it.
/// </summary>
public static class ForgedModels
{
    private static readonly ConcurrentDictionary<object, Lazy<string>> Built = new();
    private static readonly string Root = CreateRoot();

    /// <summary>A Llama decoder folder (onnx/model.onnx, tokenizer and config files; genai_config.json for GQA).</summary>
    public static string Decoder(DecoderLayout layout = DecoderLayout.Optimum, string preset = "tiny", ulong seed = 1, bool? tieWordEmbeddings = null) =>
        Decoder(new DecoderOptions(preset, seed, layout, tieWordEmbeddings));

    public static string Decoder(DecoderOptions options) => Get(options, directory => DecoderForge.Build(options, directory));

    /// <summary>A sentence-transformers BERT folder (onnx/model.onnx, vocab.txt, tokenizer.json, modules.json, 1_Pooling …).</summary>
    public static string Encoder(Pooling pooling = Pooling.Mean, bool normalize = true, bool lexical = false, string preset = "tiny", ulong seed = 1) =>
        Encoder(new EncoderOptions(preset, seed, pooling, normalize, lexical));

    public static string Encoder(EncoderOptions options) => Get(options, directory => EncoderForge.Build(options, directory));

    /// <summary>A Hugging Face cross-encoder folder (BertForSequenceClassification: onnx/model.onnx → logits [batch, labels], vocab.txt, tokenizer.json, config.json).</summary>
    public static string CrossEncoder(string preset = "tiny", ulong seed = 1, int labels = 1) =>
        CrossEncoder(new CrossEncoderOptions(preset, seed, labels));

    public static string CrossEncoder(CrossEncoderOptions options) => Get(options, directory => CrossEncoderForge.Build(options, directory));

    private static string Get(object options, Action<string> build) =>
        Built.GetOrAdd(options, key => new Lazy<string>(() =>
        {
            var directory = Path.Combine(Root, $"model-{Built.Count}-{Guid.NewGuid():N}");
            build(directory);
            return directory;
        })).Value;

    private static string CreateRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), $"rag-forged-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a file still mapped by a native session must not fail process exit.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        };
        return root;
    }
}
