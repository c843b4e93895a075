using Rag.Embedding.Loading;
using Rag.Embedding.Pooling;
using Rag.ModelProvisioning;

namespace Rag.Embedding.Tests.RealModels;

/// <summary>The packaged models become complete sentence-transformers folders, written once and never seen half-written.</summary>
public sealed class ProvisioningTests : IDisposable
{
    private readonly string _models = Directory.CreateTempSubdirectory("rag-provisioning-").FullName;

    [Fact]
    public void Arctic_is_written_as_its_hub_repository_describes_it()
    {
        var folder = ModelFolder.Read(SentenceTransformerFolder.Provision(PackagedModel.ArcticXs, _models));

        Assert.Equal(Path.Combine(_models, "Snowflake", "snowflake-arctic-embed-xs"), folder.Path);
        Assert.Equal(Path.Combine(folder.Path, "onnx", "model.onnx"), folder.OnnxFile);
        Assert.Equal(PoolingModes.Cls, folder.Pooling);
        Assert.True(folder.Normalize);
        Assert.Equal(512, folder.MaxSequenceLength);
        Assert.Equal("Represent this sentence for searching relevant passages: ", folder.Prompts["query"]);
        Assert.True(File.Exists(Path.Combine(folder.Path, "vocab.txt")));
    }

    [Fact]
    public void MiniLm_is_mean_pooled_with_256_tokens_and_no_prompt()
    {
        var folder = ModelFolder.Read(SentenceTransformerFolder.Provision(PackagedModel.MiniLm, _models));

        Assert.Equal(PoolingModes.Mean, folder.Pooling);
        Assert.True(folder.Normalize);
        Assert.Equal(256, folder.MaxSequenceLength);
        Assert.Empty(folder.Prompts);
    }

    [Fact]
    public async Task Concurrent_provisioning_leaves_one_complete_folder_and_no_scratch()
    {
        var folders = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => SentenceTransformerFolder.Provision(PackagedModel.MiniLm, _models))));

        Assert.Single(folders.Distinct());
        Assert.Equal(new FileInfo(Path.Combine(PackagedModelFolders.Folder(PackagedModel.MiniLm), "onnx", "model.onnx")).Length,
            new FileInfo(Path.Combine(folders[0], "onnx", "model.onnx")).Length);
        Assert.Equal(["all-MiniLM-L6-v2"], Directory.GetDirectories(Path.Combine(_models, "sentence-transformers")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_provisioned_folder_is_not_written_again()
    {
        var folder = SentenceTransformerFolder.Provision(PackagedModel.MiniLm, _models);
        var marker = Path.Combine(folder, "marker");
        File.WriteAllText(marker, "kept");

        Assert.Equal(folder, SentenceTransformerFolder.Provision(PackagedModel.MiniLm, _models));
        Assert.True(File.Exists(marker));
    }

    [Theory]
    [InlineData("snowflake-arctic-embed-xs")]
    [InlineData("Snowflake/snowflake-arctic-embed-xs")]
    [InlineData("ALL-MINILM-L6-V2")]
    public void Models_are_found_by_full_or_short_name(string name) => Assert.NotNull(PackagedModel.Find(name));

    public void Dispose() => Directory.Delete(_models, recursive: true);
}
