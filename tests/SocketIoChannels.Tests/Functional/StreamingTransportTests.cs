using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The behaviour suite plus what the streaming transports (htmlfile, xhr-multipart, hixie websockets)
/// share: heartbeats while the connection is open, a missed heartbeat ends the session, and a session whose
/// connection dropped can be resumed by id within the close timeout (spec §9 items 14–16, 18–25).</summary>
public abstract class StreamingTransportTests : TransportBehaviourTests
{
    protected override void Configure(SocketIoOptions options)
    {
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
        options.HeartbeatTimeout = TimeSpan.FromSeconds(1); // generous: a busy 2-core machine may take a while to echo
        options.WebSocketCloseTimeout = TimeSpan.FromSeconds(1.5);
        options.MaxMessageSize = 4096;
    }

    /// <summary>Drops the client's connection without a closing handshake.</summary>
    protected abstract Task DropAsync(SocketIoTestClient client);

    [Fact]
    public async Task HeartbeatsAreSentAndAnsweredHeartbeatsKeepTheSessionAlive()
    {
        var client = await ConnectAsync();

        await Task.Delay(1200);

        Assert.True(client.HeartbeatsReceived >= 2, $"only {client.HeartbeatsReceived} heartbeats");
        Assert.False(client.Closed.IsCompleted);
        await client.SendAsync("alive");
        Assert.Equal("alive", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AMissedHeartbeatEndsTheSessionAndClosesTheConnection()
    {
        var client = CreateClient(App.Address);
        client.EchoHeartbeats = false;
        await using var _ = client;
        var id = await client.ConnectAsync();

        await client.Closed.DefaultTimeout();

        var events = await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Contains("disconnect", events);
        Assert.True(client.HeartbeatsReceived >= 1);
    }

    [Fact]
    public async Task ASessionResumedByIdGetsWhatWasQueuedWhileAwayWithoutANewIdOrConnectEvent()
    {
        var first = await ConnectAsync();
        var id = first.SessionId;
        await first.SubscribeAsync("room-9");
        await Events.WaitForAsync(id, e => e.Contains("subscribe:room-9"));

        await DropAsync(first);
        await WaitUntilAsync(() => App.Logs.Entries.Any(e => e.EventId.Id is 120 or 132 && e.Message.Contains(id, StringComparison.Ordinal)));
        App.Broadcaster.Send(id, "queued while away");
        App.Broadcaster.BroadcastChannel("to the room", "room-9");

        await using var second = CreateClient(App.Address);
        await second.ConnectAsync(id);

        Assert.Equal("queued while away", await second.ReceiveTextAsync());
        Assert.Equal("to the room", await second.ReceiveTextAsync());
        await second.SendAsync("back again");
        Assert.Equal("back again", await second.ReceiveTextAsync());
        Assert.Equal(1, Events.For(id).Count(e => e == "connect"));
        Assert.DoesNotContain("disconnect", Events.For(id));
    }

    [Fact]
    public async Task ADroppedConnectionEndsTheSessionAfterTheCloseTimeout()
    {
        var client = await ConnectAsync();
        var id = client.SessionId;

        await DropAsync(client);

        var events = await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Contains("disconnect", events);
        Assert.Equal(0, App.Broadcaster.SessionCount);
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }
}
