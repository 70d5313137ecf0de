using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// Our v5 test server with the test pages (socket.io-client 4.8's browser bundle served from node_modules, never
/// copied into the repository; the socket.io 0.6.18 page), headless Chromium, and the node driver.
/// </summary>
public sealed class V5BrowserFixture : V5ServerFixture
{
    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"];
    private IPlaywright? playwright;
    private IBrowser? browser;
    private byte[]? client06;
    private byte[]? clientV5;

    protected override bool NeedsOurServer => true;

    public ISocketIoBroadcaster Broadcaster => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
        .GetRequiredService<ISocketIoBroadcaster>(Server!.Services);

    public override async Task InitializeAsync()
    {
        clientV5 = await File.ReadAllBytesAsync(V5Paths.BrowserBundle).WithTimeout();
        client06 = await File.ReadAllBytesAsync(TestEnvironment.RequireClient06()).WithTimeout();
        await base.InitializeAsync();
        playwright = await Playwright.CreateAsync().WithTimeout(TimeSpan.FromSeconds(60));
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.RequireChromium(),
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        }).WithTimeout(TimeSpan.FromSeconds(70));
    }

    /// <summary>A fresh browser context and page on the v5 test server.</summary>
    public Task<BrowserPage> NewPageAsync() => BrowserPage.CreateAsync(browser!, Server!);

    protected override void ConfigureApp(WebApplication app)
    {
        app.MapGet(V5TestPages.ClientV5ScriptPath, () => Results.Bytes(clientV5!, "application/javascript; charset=utf-8"));
        app.MapGet(V5TestPages.ClientV5Path, () => Results.Content(V5TestPages.ClientV5, "text/html; charset=utf-8"));
        app.MapGet(TestPages.Client06ScriptPath, () => Results.Bytes(client06!, "application/javascript; charset=utf-8"));
        app.MapGet(TestPages.Client06Path, () => Results.Content(TestPages.Client06, "text/html; charset=utf-8"));
    }

    public override async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync().WithTimeout(TimeSpan.FromSeconds(15));
        }

        playwright?.Dispose();
        await base.DisposeAsync();
    }
}
