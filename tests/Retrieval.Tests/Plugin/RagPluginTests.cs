using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Rag.Retrieval.Answering;
using Rag.Retrieval.Plugin;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Plugin;

public sealed class RagPluginTests(ForgedEncoder encoder) : DatabaseTest(encoder.Dimension), IClassFixture<ForgedEncoder>, IDisposable
{
    private ScriptedChatClient _chat = null!;
    private Kernel _kernel = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _chat = new ScriptedChatClient("Passwords rotate every ninety days [1].");
        var harness = new RetrievalHarness(Database, encoder, chat: _chat);
        _kernel = new Kernel();
        _kernel.ImportPluginFromObject(new RagPlugin(harness.Search, harness.Answerer, harness.Pipeline), "rag");
    }

    public void Dispose() => _chat.Dispose();

    private async Task<string> InvokeAsync(string function, KernelArguments arguments) =>
        (await _kernel.InvokeAsync("rag", function, arguments)).GetValue<string>()!;

    [Fact]
    public void The_functions_are_described_for_function_calling()
    {
        var plugin = _kernel.Plugins["rag"];

        Assert.Equal(["ask", "ingest_text", "search"], plugin.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(plugin, f =>
        {
            Assert.True(f.Description.Length > 40, $"{f.Name} needs a real description");
            Assert.All(f.Metadata.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{f.Name}.{p.Name} has no description"));
        });
        Assert.True(plugin["search"].Metadata.Parameters.Single(p => p.Name == "query").IsRequired);
        Assert.False(plugin["search"].Metadata.Parameters.Single(p => p.Name == "collection").IsRequired);
    }

    [Fact]
    public async Task Ingest_text_then_search_and_ask_through_the_kernel()
    {
        var stored = await InvokeAsync("ingest_text", new KernelArguments { ["text"] = "Security policy: passwords rotate every ninety days.", ["name"] = "policy" });
        await InvokeAsync("ingest_text", new KernelArguments { ["text"] = "Cafeteria menu: soup on Mondays.", ["name"] = "menu.md" });
        var again = await InvokeAsync("ingest_text", new KernelArguments { ["text"] = "Security policy: passwords rotate every ninety days.", ["name"] = "policy" });

        var found = await InvokeAsync("search", new KernelArguments { ["query"] = "how often do passwords rotate", ["top"] = "1" });
        var answer = await InvokeAsync("ask", new KernelArguments { ["question"] = "How often do passwords rotate?" });

        Assert.StartsWith("Stored document", stored, StringComparison.Ordinal);
        Assert.Contains("policy.txt", stored, StringComparison.Ordinal);
        Assert.Contains("already stored", again, StringComparison.Ordinal);
        Assert.StartsWith(AnswerPrompt.SourcesPreamble + "\n\n<source>\n[1] policy.txt", found, StringComparison.Ordinal);
        Assert.EndsWith("</source>", found, StringComparison.Ordinal);
        Assert.DoesNotContain("menu.md", found, StringComparison.Ordinal);
        Assert.Equal(1, _chat.Calls);
        Assert.Contains("Passwords rotate every ninety days [1].", answer, StringComparison.Ordinal);
        Assert.Contains("Sources:\n[1] policy.txt", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_in_an_empty_collection_says_nothing_was_found()
    {
        Assert.Equal("No relevant passages found.", await InvokeAsync("search", new KernelArguments { ["query"] = "anything", ["collection"] = "empty" }));
    }
}
