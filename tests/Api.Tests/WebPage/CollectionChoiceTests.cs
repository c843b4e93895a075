using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Rag.Api.Tests.Infrastructure;

namespace Rag.Api.Tests.WebPage;

/// <summary>
/// Which collection the page opens on, in a browser that never chose one: the one that most recently stored a
/// document, passing over an emptied one and older ones, and without a request the API answers with 404.
/// </summary>
public sealed class CollectionChoiceTests(DemoApiServer server, HeadlessChromium chromium) : IClassFixture<DemoApiServer>, IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task Page_opens_on_the_collection_that_last_stored_a_document_with_no_404()
    {
        var client = server.Client;
        await Corpus.UploadAsync(client, "older", "weather.txt", Corpus.Weather);
        await Corpus.UploadAsync(client, "latest", "cats.txt", Corpus.Cats);
        // Emptied after the others were filled: it still exists, with nothing to ask about.
        var removed = await Corpus.UploadAsync(client, "emptied", "soup.md", Corpus.Soup);
        (await client.DeleteAsync($"/v1/collections/emptied/documents/{removed}")).EnsureSuccessStatusCode();
        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/collections");
        var emptied = listed.GetProperty("collections").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "emptied");
        Assert.Equal(0, emptied.GetProperty("documents").GetInt32());
        Assert.False(emptied.TryGetProperty("last_document_at", out _));

        var (page, errors) = await chromium.OpenAsync(server.BaseAddress);
        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator("#collection")).ToHaveValueAsync("latest");
        await Assertions.Expect(page.Locator("#documents tbody tr")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("cats.txt"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_new_name_typed_into_the_collection_field_asks_the_api_for_nothing_it_would_404()
    {
        var (page, errors) = await chromium.OpenAsync(server.BaseAddress);
        await page.GotoAsync("/");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await page.FillAsync("#collection", "not-created-yet");
        await page.Locator("#collection").DispatchEventAsync("change");

        await Assertions.Expect(page.Locator("#documents-empty")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_name_typed_while_the_collection_list_loads_is_not_replaced_by_the_page_pick()
    {
        await Corpus.UploadAsync(server.Client, "filled", "cats.txt", Corpus.Cats);
        var (page, errors) = await chromium.OpenAsync(server.BaseAddress);
        // The list the page picks from is held back until the user has typed, as on a slow connection.
        var typed = new TaskCompletionSource();
        await page.RouteAsync("**/v1/collections", async route =>
        {
            await typed.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync("/");

        await page.FillAsync("#collection", "typed-first");
        await page.Locator("#collection").DispatchEventAsync("change");
        typed.SetResult();

        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("#collection-names option[value='filled']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#collection")).ToHaveValueAsync("typed-first");
        await Assertions.Expect(page.Locator("#documents-empty")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }
}
