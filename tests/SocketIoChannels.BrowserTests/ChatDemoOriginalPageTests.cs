using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The chat demo keeps the messages the room page of django-socketio's example project reads, so that page (its
/// chat.js, with our served client in place of the <c>{% socketio %}</c> tag) still works against the port: it
/// puts each entry of <c>started.users</c> in its user list as a name, shows <c>join</c>/<c>leave</c> by
/// <c>name</c> and removes a user by <c>id</c>, shows <c>message</c> by <c>name</c> and <c>message</c>, and alerts on
/// <c>in-use</c>. The sessions here speak through the unmodified socket.io 0.6.18 client in Chromium
/// (<see cref="ChatServerFixture.Client06ChatPath"/>), next to users of the demo's own page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatDemoOriginalPageTests(BrowserTestFixture browsers, ChatServerFixture chat) : IClassFixture<ChatServerFixture>
{
    [Fact]
    public async Task TheMessagesTheOriginalRoomPageReadsKeepTheirShapeAndOurPageStillTracksUsersById()
    {
        var pages = new List<BrowserPage>();
        async Task<BrowserPage> OpenAsync()
        {
            var page = await browsers.NewPageAsync(chat.Server);
            pages.Add(page);
            return page;
        }

        var ann = new ChatPage(await OpenAsync(), "websocket");
        var old = await OpenAsync();
        var twin = await OpenAsync();
        var bob = new ChatPage(await OpenAsync(), "websocket");
        var admin = await OpenAsync();
        try
        {
            await pages[0].RunAsync(async () =>
            {
                var room = await ann.AddRoomAsync("Original page");
                await ann.JoinAsync("Ann");
                var roomId = await RoomIdAsync(room);

                // started: the names of the users already there, as strings (the original page lists each as a name).
                await old.GotoAsync(ChatServerFixture.Client06ChatPath);
                await StartAsync(old, roomId, "Old Timer");
                var started = await ReceivedAsync(old, "m.action === 'started'", "the 0.6 client's 'started'");
                JsonAssert.Equal(new JArray("Ann"), started["users"]!);

                // join: name and id, to everyone in the room, the joiner too.
                var oldJoin = await ReceivedAsync(old, "m.action === 'join' && m.name === 'Old Timer'", "the 0.6 client's own 'join'");
                Assert.Equal(JTokenType.Integer, oldJoin["id"]!.Type);
                await Expect(ann.Users).ToHaveTextAsync(["Ann", "Old Timer"]);

                // in-use: a second session asking for a name taken in the room.
                await twin.GotoAsync(ChatServerFixture.Client06ChatPath);
                await StartAsync(twin, roomId, "Ann");
                var inUse = await ReceivedAsync(twin, "m.action === 'in-use'", "'in-use' for a name taken");
                Assert.Equal("in-use", (string?)inUse["action"]);

                // Our page, joining after the 0.6 client, lists it by id: its list drops it when it leaves.
                await bob.OpenRoomAsync(room);
                await bob.JoinAsync("Bob");
                await Expect(bob.Users).ToHaveTextAsync(["Ann", "Bob", "Old Timer"]);
                var bobJoin = await ReceivedAsync(old, "m.action === 'join' && m.name === 'Bob'", "Bob's 'join' at the 0.6 client");
                Assert.Equal(JTokenType.Integer, bobJoin["id"]!.Type);

                // message: name and message, both ways.
                await ann.SayAsync("Hello, old friend");
                var said = await ReceivedAsync(old, "m.action === 'message' && m.name === 'Ann'", "Ann's message at the 0.6 client");
                Assert.Equal("Hello, old friend", (string?)said["message"]);
                await old.EvaluateAsync<bool>("() => { chat06.say('Hello from 2011'); return true; }");
                await bob.ExpectLineAsync("Old Timer", "Hello from 2011");

                // system: message, from the demo's system message page.
                await SendSystemMessageAsync(admin, "Closing soon.", "Original page");
                var system = await ReceivedAsync(old, "m.action === 'system'", "the system message at the 0.6 client");
                Assert.Equal("Closing soon.", (string?)system["message"]);

                // leave: name and the id its join carried.
                await bob.Page.CloseAsync().WithTimeout();
                var bobLeave = await ReceivedAsync(old, "m.action === 'leave' && m.name === 'Bob'", "Bob's 'leave' at the 0.6 client");
                JsonAssert.Equal(bobJoin["id"]!, bobLeave["id"]!);

                await old.Page.CloseAsync().WithTimeout();
                await Expect(ann.Users).ToHaveTextAsync(["Ann"]);
                await ann.ExpectLineAsync("Old Timer", "leaves");
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

    private async Task<int> RoomIdAsync(string path)
    {
        await using var db = chat.Chat.OpenDatabase();
        return (await db.Rooms.SingleAsync(r => r.Slug == path.TrimStart('/')).WithTimeout()).Id;
    }

    private static Task StartAsync(BrowserPage page, int roomId, string name) =>
        page.EvaluateAsync<bool>("([room, name]) => { chat06.start(room, name); return true; }", new object[] { roomId, name });

    /// <summary>The first message the 0.6 client received that matches <paramref name="predicate"/> (on <c>m</c>).</summary>
    private static async Task<JToken> ReceivedAsync(BrowserPage page, string predicate, string what)
    {
        await page.WaitForAsync($"() => chat06.received.some(m => m !== null && typeof m === 'object' && {predicate})", what);
        return await page.EvaluateJsonAsync($"() => chat06.received.find(m => m !== null && typeof m === 'object' && {predicate})");
    }

    private static async Task SendSystemMessageAsync(BrowserPage admin, string message, string room)
    {
        await admin.GotoAsync("/system_message"); // redirected to the sign-in page
        await admin.Page.FillAsync("#user", ChatServer.AdminUser).WithTimeout();
        await admin.Page.FillAsync("#password", ChatServer.AdminPassword).WithTimeout();
        await admin.Page.ClickAsync(".sign-in button").WithTimeout();
        await Expect(admin.Page.Locator(".system-message button")).ToBeVisibleAsync();
        await admin.Page.FillAsync("#message", message).WithTimeout();
        await admin.Page.SelectOptionAsync("#room", new SelectOptionValue { Label = room }).WithTimeout();
        await admin.Page.ClickAsync(".system-message button").WithTimeout();
        await Expect(admin.Page.Locator("#result")).ToHaveTextAsync($"Message sent to 4 people in {room}.");
    }
}
