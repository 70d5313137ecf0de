using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// Connection state recovery (socket.io 4.6+) with the real socket.io-client 4.8: a socket whose connection the
/// server dropped comes back with the same id and channels, <c>socket.recovered === true</c>, and every event
/// it missed, in order.
/// </summary>
public sealed class RecoveryTests(V5RecoveryServerFixture fixture) : IClassFixture<V5RecoveryServerFixture>
{
    [Fact]
    public async Task ADroppedSocketIsRecoveredWithTheEventsItMissed()
    {
        // reconnection: false, so the test decides when the client comes back: after the missed broadcasts.
        var client = await fixture.ConnectAsync(["websocket"], options: new JObject { ["reconnection"] = false });
        var room = ChannelHelpers.NewChannel("room-");
        JsonAssert.Equal(new JArray(true), await client.EmitWithAckAsync("subscribe", room));
        Assert.Equal(1, await fixture.BroadcastAsync(room, "before"));
        await client.WaitForAsync("message");

        Assert.True(await fixture.DropAsync(client) >= 1, "the server found the client's connection");
        await client.WaitForAsync("disconnect");
        await fixture.WaitUntilDisconnectedAsync(client);
        await fixture.BroadcastAsync(room, "missed 1");
        await fixture.BroadcastAsync(room, new JObject { ["missed"] = 2 });

        await client.ReconnectAsync();
        var connects = await client.WaitForAsync("connect", 2);
        var second = connects[1]["args"]![0]!;
        Assert.True(second.Value<bool>("recovered"), "socket.recovered after reconnecting: " + second);
        Assert.Equal(client.Id, second.Value<string>("id"));

        // The missed events, in order, then a live one: the channel is still subscribed.
        var messages = await client.WaitForAsync("message", 3);
        Assert.Equal(1, await fixture.BroadcastAsync(room, "live"));
        messages = await client.WaitForAsync("message", 4);
        var firstArgs = messages.Select(m => m["args"]![0]!).ToList();
        JsonAssert.Equal(new JArray("before", "missed 1", new JObject { ["missed"] = 2 }, "live"), new JArray(firstArgs));
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task WithoutAKnownSessionTheSocketIsNotRecovered()
    {
        var client = await fixture.ConnectAsync(["websocket"]);

        Assert.False(client.ConnectResult.Value<bool>("recovered"));
        var state = await client.StateAsync();
        Assert.False(state.Value<bool>("recovered"));
        await client.DisconnectAsync();
    }
}
