using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Functional.V5;
using SocketIoChannels.Tests.Infrastructure;
using StackExchange.Redis;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>Two Kestrel servers on a real redis-server: every send kind (messages, events with binary arguments,
/// namespaces, one session) from one server reaches the other server's Socket.IO 5 sockets and 0.6 sessions, each in
/// its encoding, and a namespace's channel stays in its namespace.</summary>
public sealed class RedisV5Tests : IAsyncLifetime
{
    private readonly string prefix = TestRedis.UniquePrefix();
    private readonly List<IAsyncDisposable> owned = [];
    private TestApp a = null!;
    private TestApp b = null!;

    public async Task InitializeAsync()
    {
        var redis = await TestRedis.AddressAsync();
        a = await StartNodeAsync(redis);
        owned.Add(a);
        b = await StartNodeAsync(redis);
        owned.Add(b);
    }

    private Task<TestApp> StartNodeAsync(string redis) =>
        TestApp.StartAsync(handlers => handlers.AddEventHandler<V5ApiHandlers>().AddEventHandler<V5AdminHandlers>()
            .AddStackExchangeRedis(redis, options =>
            {
                options.ChannelPrefix = prefix;
                options.Configuration.ConnectTimeout = 2000;
                options.Configuration.ReconnectRetryPolicy = new LinearRetry(250);
                options.PresenceRefreshInterval = TimeSpan.FromMilliseconds(500);
                options.PresenceExpiry = TimeSpan.FromSeconds(2);
            }));

    public async Task DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }

    private async Task<(V5PacketClient Client, string Id)> V5Async(TestApp node, string nsp, string? channel)
    {
        var client = await V5PacketClient.OpenAsync(node.Address);
        owned.Add(client);
        var id = await client.ConnectAsync(nsp);
        if (channel is not null)
        {
            await client.EmitAsync(nsp, "subscribe", 99, channel);
            await client.ReceiveAckAsync(99, nsp);
        }

        return (client, id);
    }

    private static string Json(JToken? token) => token!.ToString(Newtonsoft.Json.Formatting.None);

    [Fact]
    public async Task EverySendKindReachesTheOtherServersVersionFiveSocketsAndZeroSixSessions()
    {
        var (root, rootId) = await V5Async(b, "/", "room");
        var (admin, _) = await V5Async(b, "/admin", "room");
        var old = new WebSocketTestClient(b.Address);
        owned.Add(old);
        await old.ConnectAsync();
        await old.SubscribeAsync("room");
        await Cluster.WaitForSubscribersAsync(a, "room", 2);
        await Eventually.TrueAsync(async () => await a.Broadcaster.Of("/admin").CountSubscribersAsync("room") == 1, "the /admin subscriber counted");
        Assert.Equal(rootId[..8], old.SessionId[..8]); // a v5 socket's id carries its node id too

        // Messages: the event "message" to v5, the 0.6 frame to 0.6.
        await a.Broadcaster.BroadcastAsync("to all").DefaultTimeout();
        Assert.Equal("[\"message\",\"to all\"]", Json((await root.ReceiveEventAsync("message")).Data));
        Assert.Equal("to all", await old.ReceiveTextAsync());
        await a.Broadcaster.BroadcastChannelAsync(new { n = 1 }, "room").DefaultTimeout();
        Assert.Equal("[\"message\",{\"n\":1}]", Json((await root.ReceiveEventAsync("message")).Data));
        Assert.Equal("{\"n\":1}", Json(await old.ReceiveJsonAsync()));

        // Events with a binary argument: BINARY_EVENT with its attachment to v5, {"name","args"} to 0.6.
        await a.Broadcaster.EmitAsync("ev", ["x", new byte[] { 1, 2 }]).DefaultTimeout();
        var ev = await root.ReceiveEventAsync("ev");
        Assert.Equal(5, ev.Type);
        Assert.Equal(new byte[] { 1, 2 }, Assert.Single(ev.Attachments));
        Assert.Equal("{\"name\":\"ev\",\"args\":[\"x\",\"AQI=\"]}", Json(await old.ReceiveJsonAsync()));
        await a.Broadcaster.EmitChannelAsync("room", "roomEv", [3]).DefaultTimeout();
        Assert.Equal("[\"roomEv\",3]", Json((await root.ReceiveEventAsync("roomEv")).Data));
        Assert.Equal("{\"name\":\"roomEv\",\"args\":[3]}", Json(await old.ReceiveJsonAsync()));

        // One session, by id, on the other server.
        await a.Broadcaster.EmitToSessionAsync(rootId, "direct", [new byte[] { 7 }]).DefaultTimeout();
        Assert.Equal(new byte[] { 7 }, Assert.Single((await root.ReceiveEventAsync("direct")).Attachments));
        await a.Broadcaster.SendAsync(rootId, "direct message").DefaultTimeout();
        Assert.Equal("[\"message\",\"direct message\"]", Json((await root.ReceiveEventAsync("message")).Data));

        // Namespace /admin: only its sockets.
        Assert.Equal(1, await a.Broadcaster.Of("/admin").EmitChannelAsync("room", "adminEv", [new byte[] { 9 }]).DefaultTimeout());
        var adminEv = await admin.ReceiveEventAsync("adminEv", "/admin");
        Assert.Equal(new byte[] { 9 }, Assert.Single(adminEv.Attachments));
        await a.Broadcaster.Of("/admin").BroadcastAsync("admin message").DefaultTimeout();
        Assert.Equal("[\"message\",\"admin message\"]", Json((await admin.ReceiveEventAsync("message", "/admin")).Data));

        // A v5 socket's handler on server a emits to the channel: both kinds of client on b get it.
        var (sender, _) = await V5Async(a, "/", null);
        await sender.EmitAsync("/", "emitChannel", null, "room", "from a handler");
        Assert.Equal(new byte[] { 1, 2 }, Assert.Single((await root.ReceiveEventAsync("roomEvent")).Attachments));
        Assert.Equal("{\"name\":\"roomEvent\",\"args\":[\"from a handler\",\"AQI=\"]}", Json(await old.ReceiveJsonAsync()));

        // Nothing crossed namespaces.
        await root.AssertNoneAsync(p => p.Type is 2 or 5 && (string?)p.Data![0] is "adminEv", TimeSpan.FromMilliseconds(300));
        await admin.AssertNoneAsync(p => p.Type is 2 or 5 && (string?)p.Data![0] is "ev" or "roomEv" or "roomEvent", TimeSpan.FromMilliseconds(100));
        await old.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
    }
}
