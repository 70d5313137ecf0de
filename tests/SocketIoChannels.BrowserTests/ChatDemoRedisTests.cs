using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The chat demo as two instances (each with --SocketIo:Redis, one shared database and the redis-server ./test.sh
/// started): two browsers, each on a different instance, chat in one room. Fails, never skips, without Redis.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatDemoRedisTests(BrowserTestFixture browsers)
{
    private static string RequireRedis() =>
        Environment.GetEnvironmentVariable("SOCKETIO_TEST_REDIS") is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException("SOCKETIO_TEST_REDIS is not set: run ./test.sh, or set it to a redis-server's host:port.");

    [Fact]
    public async Task TwoBrowsersOnDifferentInstancesChatInOneRoom()
    {
        var redis = "--SocketIo:Redis=" + RequireRedis();
        var directory = Directory.CreateTempSubdirectory("socketiochannels-chat-cluster-");
        await using var one = await ChatServer.StartInstanceAsync(directory, redis);
        await using var two = await ChatServer.StartInstanceAsync(directory, redis);
        var pages = new List<BrowserPage> { await browsers.NewPageAsync(one.Server), await browsers.NewPageAsync(two.Server) };
        var ann = new ChatPage(pages[0], "websocket");
        var bob = new ChatPage(pages[1], "xhr-polling");
        try
        {
            await pages[0].RunAsync(async () =>
            {
                var room = await ann.AddRoomAsync("Cluster room");
                await ann.JoinAsync("Ann");
                await bob.OpenRoomAsync(room);
                var channel = "room-" + await bob.Page.Locator("#chat").GetAttributeAsync("data-room-id").WithTimeout();

                // Both instances listen to the room on Redis before anyone talks.
                var broadcaster = one.Server.Services.GetRequiredService<ISocketIoBroadcaster>();
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
                while (await broadcaster.CountSubscribersAsync(channel).WithTimeout() < 2)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the second instance's subscriber never showed up in Redis");
                    await Task.Delay(50);
                }

                await bob.JoinAsync("Bob");
                await ann.ExpectLineAsync("Bob", "joins");
                await Expect(ann.Users).ToHaveTextAsync(["Ann", "Bob"]);

                await ann.SayAsync("Hello from instance one");
                await bob.ExpectLineAsync("Ann", "Hello from instance one");
                await bob.SayAsync("Hi from instance two");
                await ann.ExpectLineAsync("Bob", "Hi from instance two");
                await bob.ExpectLineAsync("Bob", "Hi from instance two");
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
