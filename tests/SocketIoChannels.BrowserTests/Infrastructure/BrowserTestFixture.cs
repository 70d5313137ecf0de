using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserTestFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// Shared by every browser test: one Kestrel server with SocketIoChannels and <see cref="TestHandlers"/>, one
/// headless Debian Chromium driven by Playwright. Each test opens its own browser context.
/// </summary>
public sealed class BrowserTestFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"];
    private IPlaywright? playwright;
    private IBrowser? browser;
    private Exception? browserError;
    private byte[]? client06;

    public KestrelTestServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public ISocketIoBroadcaster Broadcaster => Server.Services.GetRequiredService<ISocketIoBroadcaster>();

    public async Task InitializeAsync()
    {
        var client06Path = TestEnvironment.FindClient06();
        client06 = client06Path is null ? null : await File.ReadAllBytesAsync(client06Path).WithTimeout();
        Server = await KestrelTestServer.StartAsync(ConfigureBuilder, ConfigureApp);
        Http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

        // Kept, not thrown: each test then fails with this message instead of the whole collection failing opaquely.
        try
        {
            var executable = TestEnvironment.RequireChromium();
            playwright = await Playwright.CreateAsync().WithTimeout(TimeSpan.FromSeconds(60));
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            }).WithTimeout(TimeSpan.FromSeconds(70));
        }
        catch (Exception e)
        {
            browserError = e;
        }
    }

    /// <summary>A fresh browser context and page; fails with a clear message when Chromium could not start.</summary>
    public Task<BrowserPage> NewPageAsync() => NewPageAsync(Server);

    /// <summary>A fresh browser context and page whose base address is <paramref name="server"/> (the chat demo).</summary>
    public async Task<BrowserPage> NewPageAsync(KestrelTestServer server)
    {
        if (browser is null)
        {
            throw new InvalidOperationException(
                $"Headless Chromium could not be started ({TestEnvironment.ChromiumPathVariable}='{TestEnvironment.ChromiumPath}'): " +
                browserError?.Message, browserError);
        }

        return await BrowserPage.CreateAsync(browser, server);
    }

    public string BrowserVersion => browser?.Version ?? "(not started)";

    /// <summary>POST /broadcast/{channel}: returns how many sessions the message was queued for (0 for none).</summary>
    public async Task<int> PostBroadcastAsync(string channel, JToken message)
    {
        using var content = new StringContent(message.ToString(Newtonsoft.Json.Formatting.None), System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync("broadcast/" + Uri.EscapeDataString(channel), content).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /broadcast/{channel} answered {(int)response.StatusCode}: {body}");
        }

        return JObject.Parse(body).Value<int>("receivers");
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync().WithTimeout(TimeSpan.FromSeconds(15));
        }

        playwright?.Dispose();
        Http?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private static void ConfigureBuilder(WebApplicationBuilder builder)
    {
        builder.Services.AddSocketIoChannels().AddEventHandler<TestHandlers>();
    }

    private void ConfigureApp(WebApplication app)
    {
        app.UseSocketIoChannels();

        app.MapGet(TestPages.Client06ScriptPath, () => client06 is null
            ? Results.Text("socket.io 0.6.18 client not found: " + TestEnvironment.Client06PathVariable, statusCode: 500)
            : Results.Bytes(client06, "application/javascript; charset=utf-8"));
        app.MapGet(TestPages.BlankPath, () => Results.Content(TestPages.Blank, "text/html; charset=utf-8"));
        app.MapGet(TestPages.Client06Path, () => Results.Content(TestPages.Client06, "text/html; charset=utf-8"));
        app.MapGet(TestPages.OurClientPath, () => Results.Content(TestPages.OurClient, "text/html; charset=utf-8"));

        // The out-of-band path a web app uses: any endpoint with the broadcaster injected.
        app.MapPost("/broadcast/{channel}", async (string channel, HttpRequest request, ISocketIoBroadcaster broadcaster) =>
        {
            using var reader = new StreamReader(request.Body);
            var message = JToken.Parse(await reader.ReadToEndAsync());
            try
            {
                return Results.Json(new { receivers = broadcaster.BroadcastChannel(message, channel) });
            }
            catch (NoSocketException)
            {
                return Results.Json(new { receivers = 0 });
            }
        });
    }
}
