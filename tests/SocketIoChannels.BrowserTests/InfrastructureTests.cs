using System.Security.Cryptography;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests;

/// <summary>The fixture itself: Debian's Chromium, the Kestrel test server, and the two clients being served.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InfrastructureTests(BrowserTestFixture fixture)
{
    [Fact]
    public async Task ChromiumRendersAUtf8PageServedByTheKestrelTestServer()
    {
        Assert.NotEqual(0, fixture.Server.Port);
        Assert.Equal("127.0.0.1", fixture.Server.BaseAddress.Host);
        await using var page = await fixture.NewPageAsync();
        await page.RunAsync(async () =>
        {
            await page.GotoAsync(TestPages.BlankPath);
            Assert.Equal("yes", await page.EvaluateAsync<string>("() => document.body.dataset.ready"));
            Assert.Equal(TestPages.UnicodeSample, await page.EvaluateAsync<string>("() => document.getElementById('text').textContent"));
            Assert.Equal("ready 11", await page.Page.TitleAsync().WithTimeout());
            Assert.Contains("Chrome", await page.EvaluateAsync<string>("() => navigator.userAgent"));
        });
    }

    [Fact]
    public async Task ServesTheUnchangedSocketIo0618Client()
    {
        var path = TestEnvironment.RequireClient06();
        Assert.Equal(TestEnvironment.Client06Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path).WithTimeout())));

        using var response = await fixture.Http.GetAsync(TestPages.Client06ScriptPath.TrimStart('/')).WithTimeout();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(77_256, (await response.Content.ReadAsByteArrayAsync().WithTimeout()).Length);

        await using var page = await fixture.NewPageAsync();
        await page.RunAsync(async () =>
        {
            await page.GotoAsync(TestPages.Client06Path);
            Assert.Equal("0.6.3", await page.EvaluateAsync<string>("() => io.version"));
            Assert.Equal("function", await page.EvaluateAsync<string>("() => typeof io.Socket"));
        });
    }

    [Fact]
    public async Task ServesOurClientAtSocketIoSocketIoJs()
    {
        using var response = await fixture.Http.GetAsync("socket.io/socket.io.js").WithTimeout();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("javascript", response.Content.Headers.ContentType?.MediaType ?? "");

        await using var page = await fixture.NewPageAsync();
        await page.RunAsync(async () =>
        {
            await page.GotoAsync(TestPages.OurClientPath);
            Assert.Equal("function", await page.EvaluateAsync<string>("() => typeof io.Socket"));
            foreach (var method in new[] { "connect", "send", "disconnect", "on", "removeEvent", "subscribe", "unsubscribe" })
            {
                Assert.True(await page.EvaluateAsync<bool>("(m) => typeof io.Socket.prototype[m] === 'function' || typeof new io.Socket(undefined, { transports: ['websocket'] })[m] === 'function'", method),
                    $"io.Socket has no method {method}");
            }
        });
    }
}
