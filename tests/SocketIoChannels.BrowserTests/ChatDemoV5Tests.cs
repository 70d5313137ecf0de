using System.Security.Cryptography;
using Chat;
using Microsoft.Playwright;
using SocketIoChannels.BrowserTests.Infrastructure;
using SocketIoChannels.BrowserTests.V5;
using static Microsoft.Playwright.Assertions;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The chat demo's room page on socket.io-client 4.8 (<c>?client=v5</c>) next to the page on the 0.6 client, in
/// the same room through the same handlers. The page loads socket.io-client from its CDN address
/// (<see cref="SocketIoClientCdn"/>); Chromium gets that address answered with the npm package's file (a routed
/// script: the page itself stays on the server), and checks the page's integrity hash against it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatDemoV5Tests(BrowserTestFixture browsers, ChatServerFixture chat) : IClassFixture<ChatServerFixture>
{
    public static TheoryData<string, string> Transports => new()
    {
        { "websocket", "websocket" },
        { "xhr-polling", "polling" },
    };

    [Fact]
    public void ThePagePinsTheVersionTheTestsRunAndItsHash()
    {
        var bundle = File.ReadAllBytes(V5Paths.BrowserBundle);
        var version = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(V5Paths.ClientModuleDirectory, "package.json"))).Value<string>("version");
        // Updating socket.io-client in package.json means updating the page's pin (and its hash) too.
        Assert.Equal(SocketIoClientCdn.Version, version);
        Assert.Equal(SocketIoClientCdn.Integrity, "sha384-" + Convert.ToBase64String(SHA384.HashData(bundle)));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task AUserOnThe06ClientAndAUserOnSocketIoClient48ChatInOneRoom(string transport06, string transportV5)
    {
        var bundle = await File.ReadAllBytesAsync(V5Paths.BrowserBundle).WithTimeout();
        var pages = new List<BrowserPage>();
        try
        {
            pages.Add(await browsers.NewPageAsync(chat.Server));
            pages.Add(await browsers.NewPageAsync(chat.Server));
            var ann = new ChatPage(pages[0], transport06);
            var bob = new ChatPage(pages[1], transportV5, "v5");
            var cdnRequests = 0;
            await bob.Page.RouteAsync(SocketIoClientCdn.Url, async route =>
            {
                Interlocked.Increment(ref cdnRequests);
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 200,
                    BodyBytes = bundle,
                    ContentType = "application/javascript; charset=utf-8",
                    Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
                });
            }).WithTimeout();

            await pages[0].RunAsync(async () =>
            {
                var room = await ann.AddRoomAsync($"Old and new {transportV5}");

                await ann.JoinAsync("Ann");
                await bob.OpenRoomAsync(room);
                Assert.Equal(1, Volatile.Read(ref cdnRequests));
                await Expect(bob.Page.Locator(".client")).ToContainTextAsync("socket.io-client 4.8");
                await Expect(ann.Page.Locator(".client")).ToContainTextAsync("socket.io 0.6");
                await bob.JoinAsync("Bob");

                await Expect(ann.Users).ToHaveTextAsync(["Ann", "Bob"]);
                await Expect(bob.Users).ToHaveTextAsync(["Ann", "Bob"]);
                await ann.ExpectLineAsync("Bob", "joins");

                await ann.SayAsync("Hi Bob, from 2011 héllo 😀");
                await bob.ExpectLineAsync("Ann", "Hi Bob, from 2011 héllo 😀");
                await bob.SayAsync("Hi Ann, from 2026 <b>世界</b>");
                await ann.ExpectLineAsync("Bob", "Hi Ann, from 2026 <b>世界</b>");
                await bob.ExpectLineAsync("Bob", "Hi Ann, from 2026 <b>世界</b>");
                await Expect(bob.Status).ToContainTextAsync($"Connected ({transportV5}) as Bob");

                await bob.Page.ClickAsync("#leave").WithTimeout();
                await ann.ExpectLineAsync("Bob", "leaves");
                await Expect(ann.Users).ToHaveTextAsync(["Ann"]);
            });
        }
        finally
        {
            foreach (var page in pages)
            {
                await page.DisposeAsync();
            }
        }
    }
}
