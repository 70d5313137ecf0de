using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Tests.Infrastructure;
using static SocketIoChannels.Tests.Backplane.Cluster;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>Issue 12, items 11 to 13, on two Kestrel servers sharing a real redis-server: order across targets,
/// each multi-channel broadcast exactly once, no message lost while a subscription is set up, and a message too
/// large for Redis refused before anything is sent.</summary>
public sealed class RedisDeliveryTests : IAsyncLifetime
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

    private async Task<WebSocketTestClient> ConnectAsync(TestApp node, params string[] channels)
    {
        var client = new WebSocketTestClient(node.Address);
        owned.Add(client);
        await client.ConnectAsync();
        foreach (var channel in channels)
        {
            await client.SubscribeAsync(channel);
        }

        return client;
    }

    private static string Text(Received message) => message.IsJson ? message.Json.ToObject<string>()! : message.Text;

    /// <summary>Item 11: <c>Send(sid, A)</c> then <c>BroadcastChannel(B, ch)</c> arrive A then B on the other
    /// server.</summary>
    [Fact]
    public async Task SendsAndBroadcastsFromOneServerArriveOnAnotherInTheOrderTheyWereMade()
    {
        var b1 = await ConnectAsync(b, "room");
        await WaitForSubscribersAsync(a, "room", 1);
        await WaitForKnownSubscriberNodesAsync(a, "room", 1);

        const int rounds = 300;
        for (var i = 0; i < rounds; i++)
        {
            a.Broadcaster.Send(b1.SessionId, "send " + i);
            a.Broadcaster.BroadcastChannel("room " + i, "room");
        }

        var received = new List<string>();
        for (var i = 0; i < 2 * rounds; i++)
        {
            received.Add(Text(await b1.ReceiveAsync()));
        }

        Assert.Equal(Enumerable.Range(0, rounds).SelectMany(i => new[] { "send " + i, "room " + i }), received);
    }

    /// <summary>Item 11: a broadcast to a session's channels reaches each peer on another server exactly once,
    /// while that peer moves between the channels (always in at least one of them).</summary>
    [Fact]
    public async Task ABroadcastToSeveralChannelsReachesAPeerMovingBetweenThemExactlyOnce()
    {
        var a1 = await ConnectAsync(a, "one", "two");
        var b1 = await ConnectAsync(b, "one");
        await WaitForSubscribersAsync(a, "one", 2);

        const int count = 300;
        using var stop = new CancellationTokenSource();
        var moving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await b1.SubscribeAsync("two");
                await b1.UnsubscribeAsync("one");
                await b1.SubscribeAsync("one");
                await b1.UnsubscribeAsync("two");
            }
        });
        for (var i = 0; i < count; i++)
        {
            await CommandAsync(a1, "broadcastChannel", "m" + i); // no channel: to all of a1's channels
        }

        await CommandAsync(a1, "broadcastChannel", "end");
        var seen = new List<string>();
        while (true)
        {
            var text = Text(await b1.ReceiveAsync());
            if (text == "end")
            {
                break;
            }

            seen.Add(text);
        }

        await stop.CancelAsync();
        await moving.DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, count).Select(i => "m" + i), seen);
    }

    /// <summary>Item 12: once OnSubscribe has run, a message from another server reaches the session; and a
    /// server's first session is reachable from another server as soon as it has its id (asked of Redis with
    /// <c>SendAsync</c>: the synchronous <c>Send</c> answers from an in-memory copy of the servers' presence, which may
    /// not have the server yet when it started a moment ago, docs/scale-out.md).</summary>
    [Fact]
    public async Task ASubscriptionReceivesFromOtherServersAsSoonAsItsSubscribeWasHandled()
    {
        var a1 = await ConnectAsync(a);
        var recorder = b.Services.GetRequiredService<EventRecorder>();

        // b's first session: a sends to it at once.
        var b1 = await ConnectAsync(b);
        await a.Broadcaster.SendAsync(b1.SessionId, "direct").DefaultTimeout();
        Assert.Equal("direct", Text(await b1.ReceiveAsync()));

        const int channels = 40;
        await b1.SendAsync([.. Enumerable.Range(0, channels).SelectMany(i => new object[] { "__subscribe__", "fresh-" + i })]);
        await recorder.WaitForAsync(b1.SessionId, e => e.Contains("subscribe:fresh-" + (channels - 1)));
        for (var i = 0; i < channels; i++)
        {
            Assert.Equal(1, await a.Broadcaster.BroadcastChannelAsync("to fresh " + i, "fresh-" + i).DefaultTimeout()); // server b
        }

        for (var i = 0; i < channels; i++)
        {
            Assert.Equal("to fresh " + i, Text(await b1.ReceiveAsync(TimeSpan.FromSeconds(5))));
        }

        GC.KeepAlive(a1);
    }

    /// <summary>Item 13: a message over the backplane's limit is refused before anything is sent, naming the
    /// limit; a message under it crosses.</summary>
    [Fact]
    public async Task AMessageTooLargeForRedisIsRefusedBeforeAnythingIsSent()
    {
        var a1 = await ConnectAsync(a, "room");
        var b1 = await ConnectAsync(b, "room");
        await WaitForSubscribersAsync(a, "room", 2);

        var huge = new string('x', 5 * 1024 * 1024);
        var refused = Assert.Throws<ArgumentException>(() => a.Broadcaster.BroadcastChannel(huge, "room"));
        Assert.Contains("MaxMessageBytes", refused.Message);
        Assert.Contains("4,194,304", refused.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => a.Broadcaster.BroadcastAsync(huge)).DefaultTimeout();
        Assert.Throws<ArgumentException>(() => a.Broadcaster.Send(b1.SessionId, huge));
        await a1.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
        await b1.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(100));

        var large = new string('y', 3 * 1024 * 1024);
        Assert.Equal(1, a.Broadcaster.BroadcastChannel(large, "room"));
        Assert.Equal(large, Text(await a1.ReceiveAsync()));
        Assert.Equal(large, Text(await b1.ReceiveAsync()));
    }
}
