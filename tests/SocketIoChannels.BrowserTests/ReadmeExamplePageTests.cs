using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using SocketIoChannels.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The README's 30-second example as a new user runs it: its handler class, its Program.cs calls and its page
/// (<c>wwwroot/index.html</c>, taken from the README), opened in Chromium at <c>/</c>, where the README says. The page
/// must show what arrives.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReadmeExamplePageTests(BrowserTestFixture browsers)
{
    [Fact]
    public async Task TheReadmePageOpenedAtTheRootShowsWhatArrivesFromTheServerAndFromASecondTab()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(ChatServer.SampleDirectory, "..", "..", "README.md")).WithTimeout();
        Assert.Contains("app.UseDefaultFiles();", readme, StringComparison.Ordinal);
        var page = ReadmeHtmlBlock().Match(readme.ReplaceLineEndings("\n"));
        Assert.True(page.Success, "README.md must show the page wwwroot/index.html in an ```html block.");
        var wwwroot = Directory.CreateTempSubdirectory("socketiochannels-readme-");
        await File.WriteAllTextAsync(Path.Combine(wwwroot.FullName, "index.html"), page.Groups[1].Value).WithTimeout();

        // The README's Program.cs, with the handler class added explicitly (the test host's entry assembly is not the app).
        await using var server = await KestrelTestServer.StartAsync(
            builder => builder.Services.AddSocketIoChannels().AddEventHandler<ReadmeExample.ChatHandlers>(),
            app =>
            {
                app.Environment.WebRootFileProvider = new PhysicalFileProvider(wwwroot.FullName);
                app.UseSocketIoChannels();
                app.UseDefaultFiles();
                app.UseStaticFiles();
            });
        await using var first = await browsers.NewPageAsync(server);
        await using var second = await browsers.NewPageAsync(server);
        try
        {
            await first.RunAsync(async () =>
            {
                const string Message = """{"action":"message","name":"anonymous","message":{"text":"hello"}}""";
                await first.GotoAsync("/");
                await Expect(first.Page.Locator("#log li")).ToHaveTextAsync(
                    ["connected over websocket", """{"action":"welcome","name":"anonymous"}""", Message]);

                await second.GotoAsync("/");
                await Expect(second.Page.Locator("#log li")).ToHaveTextAsync(
                    ["connected over websocket", """{"action":"welcome","name":"anonymous"}""", Message]);
                await Expect(first.Page.Locator("#log li")).ToHaveTextAsync(
                [
                    "connected over websocket", """{"action":"welcome","name":"anonymous"}""", Message,
                    """{"action":"joined","name":"anonymous"}""", Message,
                ]);
            });
        }
        finally
        {
            wwwroot.Delete(recursive: true);
        }
    }

    [GeneratedRegex("The page, `wwwroot/index.html`[^\n]*\n\n```html\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ReadmeHtmlBlock();
}
