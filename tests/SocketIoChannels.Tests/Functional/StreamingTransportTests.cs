using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The behaviour suite plus what the streaming transports (htmlfile, xhr-multipart, hixie websockets)
/// share: heartbeats while the connection is open, a missed heartbeat ends the session, and a session whose
/// connection dropped can be resumed by id within the close timeout (docs/protocol-0.6.md §9 items 14–16, 18–25).</summary>
public abstract class StreamingTransportTests : TransportBehaviourTests
{
    protected override void Configure(SocketIoOptions options)
    {
        // No heartbeat falls due during a behaviour test (each takes well under 10 s): a busy machine cannot make
        // them fail by echoing late. The heartbeat tests below run their own app with fast heartbeats.
        options.HeartbeatInterval = TimeSpan.FromSeconds(10);
        options.WebSocketCloseTimeout = TimeSpan.FromSeconds(3);
        options.MaxMessageSize = 4096;
    }

    private async Task<TestApp> StartHeartbeatAppAsync(TimeSpan interval, TimeSpan timeout) =>
        await TestApp.StartAsync(handlers => handlers.AddEventHandler<TestHandlers>(), options =>
        {
            Configure(options);
            options.HeartbeatInterval = interval;
            options.HeartbeatTimeout = timeout;
        });

    /// <summary>Drops the client's connection without a closing handshake.</summary>
    protected abstract Task DropAsync(SocketIoTestClient client);

    [Fact]
    public async Task HeartbeatsAreSentAndAnsweredHeartbeatsKeepTheSessionAlive()
    {
        await using var app = await StartHeartbeatAppAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        await using var client = CreateClient(app.Address);
        await client.ConnectAsync();

        await WaitUntilAsync(() => client.HeartbeatsReceived >= 3);

        Assert.False(client.Closed.IsCompleted);
        await client.SendAsync("alive");
        Assert.Equal("alive", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AMissedHeartbeatEndsTheSessionAndClosesTheConnection()
    {
        await using var app = await StartHeartbeatAppAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));
        await using var client = CreateClient(app.Address);
        client.EchoHeartbeats = false;
        var id = await client.ConnectAsync();

        await client.Closed.DefaultTimeout();

        var events = await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
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
        await WaitUntilAsync(() => App.Logs.Entries.Any(e => e.EventId.Id is 120 or 106 && e.Message.Contains(id, StringComparison.Ordinal)));
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
