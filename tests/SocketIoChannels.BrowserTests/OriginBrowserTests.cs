using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// Cross-site WebSocket hijacking and its polling equivalents, with what Chromium really sends: the real 0.6 client
/// on a page of another origin (<c>http://localhost:port</c>, while the server is <c>http://127.0.0.1:port</c>)
/// is refused on every transport. The same page on the server's own origin connects (the other browser tests).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OriginBrowserTests(BrowserTestFixture fixture)
{
    public static TheoryData<string> Transports => new() { "websocket", "xhr-polling", "jsonp-polling" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task APageOnAnotherOriginCannotConnect(string transport)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var mark = fixture.Server.Logs.Mark;
            var foreignOrigin = $"http://localhost:{fixture.Server.Port}";
            await browser.GotoAsync(foreignOrigin + TestPages.Client06Path);

            await browser.EvaluateAsync<bool>("(t) => startSocket([t])", transport);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!fixture.Server.Logs.LinesSince(mark).Any(l => l.Contains($"A {transport} request from the origin {foreignOrigin}", StringComparison.Ordinal)
                && l.Contains("was refused", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, "the server never refused the page's origin");
                await Task.Delay(50);
            }

            await Task.Delay(500);
            var events = (await browser.EvaluateJsonAsync("() => h.events")).Values<string>().ToList();
            Assert.DoesNotContain("connect", events);
            Assert.Empty(await browser.EvaluateJsonAsync("() => h.messages"));
        });
    }
}
