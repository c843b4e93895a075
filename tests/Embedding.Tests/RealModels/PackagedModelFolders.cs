using Rag.ModelProvisioning;
using Rag.TestSupport;

namespace Rag.Embedding.Tests.RealModels;

/// <summary>
/// The real packaged models, provisioned by the code <c>./run.sh</c> uses into the checkout's <c>.data/models</c>
/// (where run.sh puts them too), so it happens once per machine.
/// </summary>
internal static class PackagedModelFolders
{
    public static string Folder(PackagedModel model) =>
        SentenceTransformerFolder.Provision(model, Path.Combine(RepositoryRoot.Path, ".data", "models"));

    public static PackagedModel ByName(string hubName) => PackagedModel.Find(hubName) ?? throw new ArgumentException(hubName);

    public static OnnxEmbeddingGenerator Open(string hubName) =>
        OnnxEmbeddingGenerator.Load(new EmbeddingOptions { ModelPath = Folder(ByName(hubName)), IntraOpThreads = 1 });
}
