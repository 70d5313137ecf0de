using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Tests.Infrastructure;
using static SocketIoChannels.Tests.Backplane.Cluster;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>Two Kestrel servers in this process, each with its own container, sharing a real redis-server, with
/// WebSocket and polling clients on each. The worker test uses the static Broadcaster, which follows the most
/// recently started host: no other host may start meanwhile.</summary>
[Collection(nameof(Functional.StaticBroadcasterCollection))]
public sealed class RedisClusterTests : IAsyncLifetime
{
    private readonly string prefix = TestRedis.UniquePrefix();
    private readonly List<IAsyncDisposable> owned = [];
    private string redis = "";
    private TestApp a = null!;
    private TestApp b = null!;

    public async Task InitializeAsync()
    {
        redis = await TestRedis.AddressAsync();
        a = await StartNodeAsync(redis, prefix);
        owned.Add(a);
        b = await StartNodeAsync(redis, prefix);
        owned.Add(b);
    }

    public async Task DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }

    private async Task<SocketIoTestClient> ConnectAsync(TestApp node, bool websocket, params string[] channels)
    {
        SocketIoTestClient client = websocket ? new WebSocketTestClient(node.Address) : new PollingTestClient(node.Address, jsonp: false);
        owned.Add(client);
        await client.ConnectAsync();
        foreach (var channel in channels)
        {
            await client.SubscribeAsync(channel);
        }

        return client;
    }

    [Fact]
    public async Task EverySendKindCrossesServersAndReachesEachPeerOnce()
    {
        var a1 = await ConnectAsync(a, websocket: true, "room", "lobby");
        var a2 = await ConnectAsync(a, websocket: false, "room");
        var b1 = await ConnectAsync(b, websocket: false, "lobby");
        var b2 = await ConnectAsync(b, websocket: true, "room", "lobby");
        Assert.NotEqual(a1.SessionId[..8], b1.SessionId[..8]); // each server's sessions carry its node id
        Assert.Equal(a1.SessionId[..8], a2.SessionId[..8]);
        await WaitForSubscribersAsync(a, "room", 3);
        await WaitForSubscribersAsync(a, "lobby", 3);

        await CommandAsync(a1, "broadcast", "to everyone else");
        await ExpectEachAsync("to everyone else", a2, b1, b2);

        await CommandAsync(b1, "sendAndBroadcast", "to everyone");
        await ExpectEachAsync("to everyone", a1, a2, b1, b2);

        await CommandAsync(b1, "broadcastChannel", "to room", "room"); // b1 is not in the room
        await ExpectEachAsync("to room", a1, a2, b2);

        await CommandAsync(a1, "sendAndBroadcastChannel", "to my channels"); // room and lobby: each peer once
        await ExpectEachAsync("to my channels", a1, a2, b1, b2);

        await CommandAsync(a2, "broadcastChannel", "to my room");
        await ExpectEachAsync("to my room", a1, b2);

        a.Broadcaster.Send(b2.SessionId, "direct to b2");
        await ExpectAsync(b2, "direct to b2");
        await b.Broadcaster.SendAsync(a2.SessionId, "direct to a2").DefaultTimeout();
        await ExpectAsync(a2, "direct to a2");

        Assert.Equal(2 + 1, await a.Broadcaster.BroadcastChannelAsync("async to room", "room").DefaultTimeout()); // a1, a2 + server b
        await ExpectEachAsync("async to room", a1, a2, b2);
        Assert.Equal(2, b.Broadcaster.Broadcast("sync to all")); // b's own sessions; server a gets it in the background
        await ExpectEachAsync("sync to all", a1, a2, b1, b2);

        foreach (var client in new[] { a1, a2, b1, b2 })
        {
            await client.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
        }
    }

    [Fact]
    public async Task AWorkerWithNoSocketsReachesSessionsOnBothServers()
    {
        var a1 = await ConnectAsync(a, websocket: false, "room");
        var b1 = await ConnectAsync(b, websocket: true, "room");
        var b2 = await ConnectAsync(b, websocket: true);
        await WaitForSubscribersAsync(a, "room", 2);

        // What a console app or background worker does: no web server, no middleware, no sockets.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIoChannels().AddStackExchangeRedis(redis, options => options.ChannelPrefix = prefix);
        var worker = builder.Build();
        await worker.StartAsync().DefaultTimeout();
        try
        {
            var broadcaster = worker.Services.GetRequiredService<ISocketIoBroadcaster>();
            Assert.Equal(0, broadcaster.SessionCount);

            Assert.Same(broadcaster, Broadcaster.Current);
            Assert.Equal(2, Broadcaster.BroadcastChannel("from the worker", "room")); // two servers received it
            await ExpectEachAsync("from the worker", a1, b1);

            broadcaster.Send(b2.SessionId, "worker to b2");
            await ExpectAsync(b2, "worker to b2");

            Assert.Equal(2, await broadcaster.BroadcastAsync("worker to all").DefaultTimeout());
            await ExpectEachAsync("worker to all", a1, b1, b2);

            Assert.Throws<NoSocketException>(() => broadcaster.BroadcastChannel("nobody here", "empty-room"));
            await Assert.ThrowsAsync<NoSocketException>(() => broadcaster.BroadcastChannelAsync("nobody here", "empty-room")).DefaultTimeout();
            Assert.Equal(2, await broadcaster.CountSubscribersAsync("room").DefaultTimeout());
            await b2.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            await worker.StopAsync().DefaultTimeout();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task NoSocketExceptionWhenNoServerHasARecipient()
    {
        var b1 = await ConnectAsync(b, websocket: true, "room");
        await WaitForSubscribersAsync(a, "room", 1);
        await WaitForKnownSubscriberNodesAsync(a, "room", 1);

        var noChannel = Assert.Throws<NoSocketException>(() => a.Broadcaster.BroadcastChannel("hello", "empty-room"));
        Assert.Contains("empty-room", noChannel.Message);
        await Assert.ThrowsAsync<NoSocketException>(() => a.Broadcaster.BroadcastChannelAsync("hello", "empty-room")).DefaultTimeout();
        Assert.Equal(1, a.Broadcaster.BroadcastChannel("only on b", "room"));
        await ExpectAsync(b1, "only on b");

        // A session id of a server that is not there, and one of this server that has no such session.
        Assert.Throws<NoSocketException>(() => a.Broadcaster.Send("0badc0de" + new string('0', 24), "lost"));
        await Assert.ThrowsAsync<NoSocketException>(() => a.Broadcaster.SendAsync("0badc0de" + new string('1', 24), "lost")).DefaultTimeout();
        Assert.Throws<NoSocketException>(() => b.Broadcaster.Send(b1.SessionId[..8] + new string('2', 24), "lost"));

        await ((WebSocketTestClient)b1).CloseAsync();
        await WaitForSubscribersAsync(a, "room", 0);
        await WaitForKnownSubscriberNodesAsync(a, "room", 0);
        await WaitForKnownSessionNodesAsync(a, 0);
        Assert.Throws<NoSocketException>(() => a.Broadcaster.BroadcastChannel("hello", "room"));
        await Assert.ThrowsAsync<NoSocketException>(() => a.Broadcaster.BroadcastAsync("hello")).DefaultTimeout();
    }

    [Fact]
    public async Task PresenceCountsSubscribersOnEveryServer()
    {
        var a1 = await ConnectAsync(a, websocket: true, "room");
        var b1 = await ConnectAsync(b, websocket: false, "room");
        var b2 = await ConnectAsync(b, websocket: true, "room", "other");

        await Eventually.TrueAsync(async () => await a.Broadcaster.CountSubscribersAsync("room") == 3, "3 subscribers across the cluster");
        Assert.Equal(1, a.Broadcaster.CountSubscribers("room"));
        Assert.Equal(2, b.Broadcaster.CountSubscribers("room"));
        // Each channel's presence is written to Redis on its own: "other" may land just after "room".
        await Eventually.TrueAsync(async () => await a.Broadcaster.CountSubscribersAsync("other") == 1, "1 subscriber of other across the cluster");

        await b2.UnsubscribeAsync("room");
        await Eventually.TrueAsync(async () => await a.Broadcaster.CountSubscribersAsync("room") == 2, "an unsubscribe lowers the count");

        owned.Remove(b);
        await b.DisposeAsync(); // stops the server: a clean stop removes its presence
        await Eventually.TrueAsync(async () => await a.Broadcaster.CountSubscribersAsync("room") == 1, "a stopped server drops out");
        GC.KeepAlive(a1);
        GC.KeepAlive(b1);
    }
}
