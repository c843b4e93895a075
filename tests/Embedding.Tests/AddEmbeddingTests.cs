using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rag.Embedding.Tests;

public class AddEmbeddingTests
{
    private static IOptionsMonitor<EmbeddingOptions> Options(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddEmbedding(configuration).BuildServiceProvider()
            .GetRequiredService<IOptionsMonitor<EmbeddingOptions>>();
    }

    [Fact]
    public void A_missing_model_path_fails_validation_naming_the_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options([]).CurrentValue);

        Assert.Contains("ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_path_that_does_not_exist_fails_validation_naming_the_path()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { ["Embedding:ModelPath"] = "/nonexistent/all-MiniLM-L6-v2" }).CurrentValue);

        Assert.Contains("/nonexistent/all-MiniLM-L6-v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_bound_from_the_embedding_section()
    {
        var folder = Directory.CreateTempSubdirectory("rag-embedding-options-").FullName;
        try
        {
            var options = Options(new()
            {
                ["Embedding:ModelPath"] = folder,
                ["Embedding:MaxBatchTokens"] = "4096",
                ["Embedding:MaxBatchWait"] = "00:00:00.005",
                ["Embedding:QueryPrefix"] = "query: ",
            }).CurrentValue;

            Assert.Equal(4096, options.MaxBatchTokens);
            Assert.Equal(TimeSpan.FromMilliseconds(5), options.MaxBatchWait);
            Assert.Equal("query: ", options.QueryPrefix);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
