using System.Collections.Concurrent;
using Rag.ModelForge.Encoder;
using ForgePooling = Rag.ModelForge.Encoder.Pooling;
using Rag.TestSupport;

namespace Rag.Embedding.Tests.Model;

/// <summary>Forged tiny encoders (seed 1 unless said) and edited copies of them for one test's configuration.</summary>
internal static class EncoderFolders
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Variants = new();
    private static readonly string VariantRoot = Directory.CreateTempSubdirectory("rag-embedding-variants-").FullName;

    public static string Mean => ForgedModels.Encoder(ForgePooling.Mean, normalize: true);

    public static string MeanUnnormalized => ForgedModels.Encoder(ForgePooling.Mean, normalize: false);

    public static string Cls => ForgedModels.Encoder(ForgePooling.Cls, normalize: true);

    public static string OtherSeed => ForgedModels.Encoder(seed: 2);

    /// <summary>A copy of <paramref name="source"/> changed by <paramref name="edit"/>, made once per <paramref name="name"/>.</summary>
    public static string Variant(string source, string name, Action<string> edit) =>
        Variants.GetOrAdd(name, _ => new Lazy<string>(() =>
        {
            var target = Path.Combine(VariantRoot, name);
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
            edit(target);
            return target;
        })).Value;

    public static OnnxEmbeddingGenerator Open(string folder, Action<EmbeddingOptions>? configure = null)
    {
        var options = new EmbeddingOptions { ModelPath = folder, IntraOpThreads = 1 };
        configure?.Invoke(options);
        return OnnxEmbeddingGenerator.Load(options);
    }
}
