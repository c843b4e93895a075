using Microsoft.Playwright;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.WebPage;

/// <summary>The page in headless Chromium (Debian's, never a downloaded build): upload, ask, read a streamed answer and a citation.</summary>
public sealed class WebPageTests(DemoApiServer server) : IClassFixture<DemoApiServer>, IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
    }

    [Fact]
    public async Task Upload_ask_and_open_a_citation()
    {
        var page = await browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseAddress.ToString() });
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#demo-banner")).ToBeVisibleAsync();
        await page.FillAsync("#collection", "web");
        await page.Locator("#collection").DispatchEventAsync("change");

        // A short name: the forged decoder's small context leaves little room beside each source's header.
        var folder = Directory.CreateTempSubdirectory("rag-page-");
        var file = Path.Combine(folder.FullName, "cats.txt");
        await File.WriteAllTextAsync(file, Corpus.Cats);
        try
        {
            await page.SetInputFilesAsync("#files", file);
            await page.ClickAsync("#upload");
            var row = page.Locator("#documents tbody tr", new() { HasText = Path.GetFileName(file) });
            await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("completed");
            // The new collection is now among the suggestions of the collection field.
            await Assertions.Expect(page.Locator("#collection-names option[value='web']")).ToHaveAttributeAsync("label", "1 document");
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        await page.FillAsync("#question", "Where does the cat like to sit?");
        await page.ClickAsync("#ask");
        await Assertions.Expect(page.Locator("#sources li").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#stats")).ToContainTextAsync("time to first token");
        // The untrained model's text may be only whitespace; what matters is that streamed tokens arrived and were shown.
        await Assertions.Expect(page.Locator("#stats")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"tok/s · [1-9]\d* tokens"));
        Assert.NotEqual("", await page.Locator("#answer").TextContentAsync());

        // The untrained model cites at random, so the citation panel is opened from the source list, which every answer has.
        await page.Locator("#sources li").First.ClickAsync();
        await Assertions.Expect(page.Locator("#citation")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#citation-title")).ToContainTextAsync("[1]");
        Assert.Contains(await page.Locator("#citation-text").TextContentAsync() ?? "", Corpus.Cats, StringComparison.Ordinal);

        // A follow-up goes with the conversation so far, which the page shows above the new answer.
        await page.FillAsync("#question", "And where does it sleep?");
        var followUp = await page.RunAndWaitForRequestAsync(() => page.ClickAsync("#ask"), r => r.Url.EndsWith("/ask", StringComparison.Ordinal));
        var history = followUp.PostDataJSON()!.Value.GetProperty("history");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal(("user", "Where does the cat like to sit?"), (history[0].GetProperty("role").GetString(), history[0].GetProperty("content").GetString()));
        Assert.Equal("assistant", history[1].GetProperty("role").GetString());
        await Assertions.Expect(page.Locator("#thread li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#thread li strong")).ToHaveTextAsync("Where does the cat like to sit?");
        await Assertions.Expect(page.Locator("#stats")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"tok/s · [1-9]\d* tokens"));

        await page.ClickAsync("#new-conversation");
        await Assertions.Expect(page.Locator("#thread li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#new-conversation")).ToBeHiddenAsync();
    }
}
