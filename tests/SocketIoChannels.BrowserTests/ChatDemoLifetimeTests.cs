using System.Net;
using Microsoft.EntityFrameworkCore;
using SocketIoChannels.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SocketIoChannels.BrowserTests;

/// <summary>The chat demo from its first start to its stop, each test on a server and database of its own.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatDemoLifetimeTests(BrowserTestFixture browsers)
{
    [Fact]
    public async Task AFreshDemoSaysThereAreNoRoomsAndRefusesARoomWithoutAName()
    {
        await using var chat = await ChatServer.StartAsync();
        await using var browser = await browsers.NewPageAsync(chat.Server);
        await browser.RunAsync(async () =>
        {
            var page = browser.Page;
            await browser.GotoAsync("/");
            await Expect(page.Locator("#no-rooms")).ToHaveTextAsync("There are currently no rooms! Add one below.");

            await page.FillAsync("#name", "   ").WithTimeout();
            await page.ClickAsync(".add-room button").WithTimeout();
            await Expect(page.Locator("#error")).ToHaveTextAsync("Give the room a name.");
            await page.FillAsync("#name", "!?!").WithTimeout();
            await page.ClickAsync(".add-room button").WithTimeout();
            await Expect(page.Locator("#error")).ToHaveTextAsync("A room name needs at least one letter or digit.");
            await Expect(page.Locator("#no-rooms")).ToBeVisibleAsync();

            using var http = new HttpClient { BaseAddress = chat.Server.BaseAddress };
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/no-such-room").WithTimeout()).StatusCode);
            await using var db = chat.OpenDatabase();
            Assert.Equal(0, await db.Rooms.CountAsync().WithTimeout());
        });
    }

    [Fact]
    public async Task StoppingTheDemoTearsDownEverySessionAndAfterARestartThePagesReconnectAndRejoin()
    {
        await using var chat = await ChatServer.StartAsync();
        await using var first = await browsers.NewPageAsync(chat.Server);
        await using var second = await browsers.NewPageAsync(chat.Server);
        var zed = new ChatPage(first, "websocket");
        var yan = new ChatPage(second, "xhr-polling"); // a polling session is torn down too
        await first.RunAsync(async () =>
        {
            var room = await zed.AddRoomAsync("Closing time");
            await zed.JoinAsync("Zed");
            await yan.OpenRoomAsync(room);
            await yan.JoinAsync("Yan");
            await using (var db = chat.OpenDatabase())
            {
                Assert.Equal(["Yan", "Zed"], await db.Users.OrderBy(u => u.Name).Select(u => u.Name).ToListAsync().WithTimeout());
            }
            await chat.StopAsync();

            await using (var db = chat.OpenDatabase())
            {
                Assert.Equal(0, await db.Users.CountAsync().WithTimeout()); // OnFinish ran for both sessions
                Assert.Equal(1, await db.Rooms.CountAsync().WithTimeout());
            }

            await Expect(zed.Status).ToContainTextAsync("Disconnected");
            await Expect(zed.Users).ToHaveCountAsync(0); // the list is no longer known
            Assert.Contains(chat.Server.Logs.LinesSince(0, max: 1000), l => l.Contains("Zed left room", StringComparison.Ordinal));
            Assert.Contains(chat.Server.Logs.LinesSince(0, max: 1000), l => l.Contains("Yan left room", StringComparison.Ordinal));

            // The same address and database again: both pages reconnect on their own and take their nicknames back.
            await using var restarted = await chat.RestartAsync();
            await Expect(zed.Status).ToHaveTextAsync("Connected (websocket) as Zed.", new() { Timeout = 30_000 });
            await Expect(yan.Status).ToHaveTextAsync("Connected (xhr-polling) as Yan.", new() { Timeout = 30_000 });
            await Expect(zed.Users).ToHaveTextAsync(["Yan", "Zed"]);
            await Expect(yan.Users).ToHaveTextAsync(["Yan", "Zed"]);
            await zed.SayAsync("We are back.");
            await yan.ExpectLineAsync("Zed", "We are back.");
        });
    }
}
