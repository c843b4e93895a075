using Microsoft.Playwright;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.WebPage;

/// <summary>The page in headless Chromium on the demo models: upload, ask, read a streamed answer and a citation.</summary>
public sealed class WebPageTests(DemoApiServer server, HeadlessChromium chromium) : IClassFixture<DemoApiServer>, IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task Upload_ask_and_open_a_citation()
    {
        var (page, errors) = await chromium.OpenAsync(server.BaseAddress);
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
        await Assertions.Expect(page.Locator("#stats")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"tok/s · [1-9]\d* tokens"));
        // The untrained demo decoder still answers in visible words (its LM head is biased towards them).
        Assert.Matches(@"\p{L}{2,} \p{L}{2,}", await page.Locator("#answer").InnerTextAsync());
        await Screenshot(page, "answer");

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
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_long_answer_scrolls_inside_its_box_and_the_stats_sources_and_citations_stay_in_view()
    {
        await Corpus.SeedAsync(server.Client, "long-answer");
        var (page, errors) = await chromium.OpenAsync(server.BaseAddress);
        await page.GotoAsync("/");
        await page.FillAsync("#collection", "long-answer");
        await page.Locator("#collection").DispatchEventAsync("change");
        await page.FillAsync("#question", "Where does the cat like to sit?");
        await page.ClickAsync("#ask");
        await Assertions.Expect(page.Locator("#stats")).ToContainTextAsync("tokens");

        // Far more text than any demo answer (the blank answers of the old demo were 256 newlines): the page renders it
        // as it renders streamed text, with a citation of source 1 at its very end.
        await page.EvaluateAsync("() => { state.answer += '\\n'.repeat(256) + 'word '.repeat(2000) + 'as source [1] says.'; renderAnswer(); }");

        var answer = await page.Locator("#answer").BoundingBoxAsync();
        Assert.NotNull(answer);
        Assert.InRange(answer.Height, 1, 800 * 0.45);
        Assert.True(await page.Locator("#answer").EvaluateAsync<bool>("a => a.scrollHeight > a.clientHeight"));
        await Assertions.Expect(page.Locator("#stats")).ToBeInViewportAsync();
        await Assertions.Expect(page.Locator("#sources li").First).ToBeInViewportAsync();
        await Screenshot(page, "long-answer");

        await page.Locator("#answer a.cite[data-n='1']").Last.ClickAsync();
        await Assertions.Expect(page.Locator("#citation")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#citation-title")).ToContainTextAsync("[1]");
        Assert.Empty(errors);
    }

    /// <summary>With RAG_PAGE_SCREENSHOTS naming a folder, the page is also saved there as PNG for a person to look at.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("RAG_PAGE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        }
    }
}
