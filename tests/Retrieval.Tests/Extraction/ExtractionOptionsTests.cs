using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Retrieval.Extraction;

namespace Rag.Retrieval.Tests.Extraction;

public sealed class ExtractionOptionsTests
{
    private static ExtractionOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddRetrieval(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ExtractionOptions>>().Value;
    }

    [Fact]
    public void Budgets_bind_from_the_Extraction_section()
    {
        var options = Resolve(new()
        {
            ["Extraction:MaxDepth"] = "64",
            ["Extraction:MaxDecompressedBytes"] = "2097152",
            ["Extraction:MaxCharacters"] = "5000",
            ["Extraction:MaxPages"] = "10",
            ["Extraction:MaxTime"] = "00:00:30",
        });

        Assert.Equal((64, 2L << 20, 5_000, 10, TimeSpan.FromSeconds(30)),
            (options.MaxDepth, options.MaxDecompressedBytes, options.MaxCharacters, options.MaxPages, options.MaxTime));
    }

    [Fact]
    public void An_out_of_range_budget_stops_start_up_with_the_setting_named()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Extraction:MaxDepth"] = "2" }));

        Assert.Contains("MaxDepth", error.Message, StringComparison.Ordinal);
    }
}
