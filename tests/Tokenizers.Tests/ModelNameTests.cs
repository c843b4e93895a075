using Rag.Tokenizers.Loading;

namespace Rag.Tokenizers.Tests;

public sealed class ModelNameTests
{
    [Fact]
    public void A_fetched_folder_is_named_by_the_repo_it_came_from()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(".repo"), "HuggingFaceTB/SmolLM2-360M-Instruct@0123abcd:onnx/model.onnx\n");
        Assert.Equal("SmolLM2-360M-Instruct", ModelName.Of(folder.Path));
    }

    [Fact]
    public void Any_other_folder_is_named_by_itself()
    {
        using var folder = new TempFolder();
        var model = Directory.CreateDirectory(Path.Combine(folder.Path, "snowflake-arctic-embed-xs")).FullName;
        Assert.Equal("snowflake-arctic-embed-xs", ModelName.Of(model + Path.DirectorySeparatorChar));
    }
}
