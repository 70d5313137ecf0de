using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// Two servers on Redis: every kind of send made on server one reaches socket.io-client 4.8 sockets connected to
/// server two (messages and events; to one session, to everyone, to a channel; from the broadcaster and from a
/// handler; binary; another namespace).
/// </summary>
public sealed class V5RedisTests(V5RedisFixture fixture) : IClassFixture<V5RedisFixture>
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task EverySendKindOnOneServerReachesV5SocketsOnTheOther(string transport)
    {
        var room = ChannelHelpers.NewChannel(V5TestHandlers.RelayChannelPrefix);
        var far = await V5Client.ConnectAsync(fixture.Driver, fixture.Two.BaseAddress, [transport]);
        var farAdmin = await V5Client.ConnectAsync(fixture.Driver, fixture.Two.BaseAddress, [transport], nameSpace: "/admin");
        var near = await V5Client.ConnectAsync(fixture.Driver, fixture.One.BaseAddress, [transport]);
        JsonAssert.Equal(new JArray(true), await far.EmitWithAckAsync("subscribe", room));
        JsonAssert.Equal(new JArray(true), await near.EmitWithAckAsync("subscribe", room));
        var one = fixture.One.Services.GetRequiredService<ISocketIoBroadcaster>();
        await WaitForSubscribersAsync(one, room, 2);

        var farId = (await far.EmitWithAckAsync("whoami"))[0]!.Value<string>("id")!;
        var bytes = new byte[] { 0, 1, 2, 254, 255 };
        one.Send(farId, "send");
        await one.SendAsync(farId, "send async");
        one.BroadcastChannel("broadcast channel", room);
        await one.BroadcastChannelAsync("broadcast channel async", room);
        one.Broadcast("broadcast");
        await one.BroadcastAsync("broadcast async");
        one.EmitToSession(farId, "ev", "emit to session", 1);
        await one.EmitToSessionAsync(farId, "ev", ["emit to session async", 2]);
        one.EmitChannel(room, "ev", "emit channel", bytes);
        await one.EmitChannelAsync(room, "ev", ["emit channel async", new JObject { ["n"] = 4 }]);
        one.Emit("ev", "emit");
        await one.EmitAsync("ev", ["emit async"]);
        one.Of("/admin").Emit("admin-ev", "to /admin", bytes);
        await near.SendAsync("from a handler on server one"); // V5TestHandlers: to the other members of the relay channel

        var messages = (await far.WaitForAsync("message", 7)).Select(e => e["args"]!).ToList();
        Assert.Equal(
            new[] { "send", "send async", "broadcast channel", "broadcast channel async", "broadcast", "broadcast async", "from a handler on server one" }.Order(),
            messages.Select(a => Assert.Single(a).Value<string>()!).Order());
        var events = (await far.WaitForAsync("ev", 6)).Select(e => (JArray)e["args"]!).OrderBy(a => a[0]!.Value<string>(), StringComparer.Ordinal);
        JsonAssert.Equal(new JArray(
                new JArray("emit"),
                new JArray("emit async"),
                new JArray("emit channel", V5Client.Bytes(bytes)),
                new JArray("emit channel async", new JObject { ["n"] = 4 }),
                new JArray("emit to session", 1),
                new JArray("emit to session async", 2)),
            new JArray(events));
        JsonAssert.Equal(new JArray("to /admin", V5Client.Bytes(bytes)), await farAdmin.FirstArgsAsync("admin-ev"));

        // Nothing twice: after a last send from server one (Redis keeps one publisher's order), the counts stand.
        await one.SendAsync(farId, "last");
        var all = await far.WaitForAsync("message", 8);
        JsonAssert.Equal(new JArray("last"), all[7]["args"]!);
        Assert.Equal(8, (await far.EventsAsync()).Count(e => e.Value<string>("name") == "message"));
        Assert.Equal(6, (await far.EventsAsync()).Count(e => e.Value<string>("name") == "ev"));
        Assert.Single(await farAdmin.WaitForAsync("admin-ev"));
        await far.DisconnectAsync();
        await farAdmin.DisconnectAsync();
        await near.DisconnectAsync();
    }

    private static async Task WaitForSubscribersAsync(ISocketIoBroadcaster broadcaster, string channel, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        int count;
        while ((count = await broadcaster.CountSubscribersAsync(channel).WithTimeout()) < expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Redis counted {count} subscriber(s) of '{channel}' after 15 s, expected {expected}");
            await Task.Delay(25).WithTimeout();
        }
    }
}
